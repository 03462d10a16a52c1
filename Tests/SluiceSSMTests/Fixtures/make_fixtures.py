"""Writes the SluiceSSM golden fixtures from the PyTorch reference in Training/series/models.py.

    ~/.cache/sluice/train-venv/bin/python Tests/SluiceSSMTests/Fixtures/make_fixtures.py

Each fixture is one safetensors file: the block's weights under their PyTorch names plus `input` and
`expected` (float32, [L, d_model]).
"""
import os
import sys

import torch

torch.set_num_threads(1)
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../Training/series"))
from models import Mamba, MambaForecaster, RMSNorm, S4DBlock, S4DForecaster  # noqa: E402


def write(name, module, x, y):
    """Weights, `input` and `expected` (float32); block fixtures drop the batch axis of x [1, L, d]."""
    tensors = {k: v.detach().float().contiguous() for k, v in module.state_dict().items()}
    tensors["input"] = (x[0] if x.dim() == 3 else x).detach().float().contiguous()
    tensors["expected"] = (y[0] if y.dim() == 3 else y).detach().float().contiguous()
    save_file(tensors, os.path.join(HERE, name))


def main():
    torch.manual_seed(7)
    s4d = S4DBlock(d_model=4, d_state=16)
    with torch.no_grad():
        s4d.norm.weight.uniform_(0.5, 1.5)
        s4d.norm.bias.uniform_(-0.2, 0.2)
    x = torch.randn(1, 96, 4, dtype=torch.float64)
    write("s4d-block.safetensors", s4d, x, s4d.double()(x))

    class MambaBlock(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.norm = RMSNorm(8)
            self.mixer = Mamba(8, d_state=16)

        def forward(self, x):
            return x + self.mixer(self.norm(x))

    mamba = MambaBlock()
    with torch.no_grad():
        mamba.norm.weight.uniform_(0.5, 1.5)
    x = torch.randn(1, 64, 8, dtype=torch.float64)
    write("mamba-block.safetensors", mamba, x, mamba.double()(x))

    # Forecasters: 3 windows of 48 values (input [3, 48]) -> forecasts [3, 8], from float32-exact inputs.
    windows = (torch.randn(3, 48) * 2 + 5).double()
    s4d = S4DForecaster(48, 8, banks=2, half_state=8)
    with torch.no_grad():
        s4d.head.weight.normal_(0, 0.3)
    write("s4d-forecaster.safetensors", s4d, windows, s4d.double()(windows))
    mamba = MambaForecaster(48, 8, d_model=8, layers=2, d_state=8)
    write("mamba-forecaster.safetensors", mamba, windows, mamba.double()(windows))


if __name__ == "__main__":
    main()
