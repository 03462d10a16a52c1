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
from models import Mamba, RMSNorm, S4DBlock  # noqa: E402


def write(name, module, x, y):
    tensors = {k: v.detach().float().contiguous() for k, v in module.state_dict().items()}
    tensors["input"] = x[0].detach().float().contiguous()
    tensors["expected"] = y[0].detach().float().contiguous()
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


if __name__ == "__main__":
    main()
