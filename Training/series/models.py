"""Channel-independent forecasters: a windowed S4D state-space forecaster, a Mamba forecaster and DLinear.

Every model maps lookback windows [B, L] of one channel to forecasts [B, H]; channels are folded into
the batch. Instance normalisation (RevIN without affine) makes each forecast invariant to the window's
level and scale.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

REVIN_EPS = 1e-5


def revin(window):
    """(normalised window, mean, std) over the last axis."""
    mean = window.mean(dim=-1, keepdim=True)
    std = torch.sqrt(window.var(dim=-1, keepdim=True, unbiased=False) + REVIN_EPS)
    return (window - mean) / std, mean, std


class S4DForecaster(nn.Module):
    """A diagonal state-space model (S4D-Lin init, ZOH) run over the lookback; a linear head reads the final state.

    State after the window: z = sum_j dA^(L-1-j) dB u_j, for `modes` complex modes (banks x state/2);
    the forecast is W [Re z, Im z] + b. The model is linear in the normalised window, so the streaming
    form keeps z for the last L rows at O(modes) work a row (see SluiceSeries.S4DForecaster).
    """

    def __init__(self, lookback, horizon, banks=4, half_state=32, dt_min=1e-3, dt_max=1e-1):
        super().__init__()
        self.lookback, self.horizon = lookback, horizon
        log_dt = torch.rand(banks) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min)
        self.log_dt = nn.Parameter(log_dt)
        self.log_a_real = nn.Parameter(torch.log(0.5 * torch.ones(banks, half_state)))
        self.a_imag = nn.Parameter(math.pi * torch.arange(half_state).float().repeat(banks, 1))
        self.b_real = nn.Parameter(torch.ones(banks, half_state))
        self.b_imag = nn.Parameter(torch.zeros(banks, half_state))
        modes = banks * half_state
        self.head = nn.Linear(2 * modes, horizon)

    def basis(self, dtype=torch.float32):
        """[L, 2*modes]: row k holds [Re, Im] of dA^(L-1-k) dB, so the state is window @ basis."""
        dt = torch.exp(self.log_dt.to(torch.float64))[:, None]
        a = torch.complex(-torch.exp(self.log_a_real.to(torch.float64)), self.a_imag.to(torch.float64))
        b = torch.complex(self.b_real.to(torch.float64), self.b_imag.to(torch.float64))
        dta = (dt * a).reshape(-1)
        db = ((torch.exp(dt * a) - 1) / a * b).reshape(-1)
        powers = torch.arange(self.lookback - 1, -1, -1, dtype=torch.float64)
        v = torch.exp(dta[None, :] * powers[:, None]) * db[None, :]
        return torch.cat([v.real, v.imag], dim=1).to(dtype)

    def forward(self, window):
        x, mean, std = revin(window)
        return self.head(x @ self.basis(x.dtype)) * std + mean


class S4D(nn.Module):
    """The minimal S4D layer (state-spaces/s4 s4d.py): S4D-Lin init, ZOH, kernel by Vandermonde product, FFT conv at 2L."""

    def __init__(self, d_model, d_state=64, dt_min=1e-3, dt_max=1e-1):
        super().__init__()
        half = d_state // 2
        self.log_dt = nn.Parameter(torch.rand(d_model) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
        self.C = nn.Parameter(torch.view_as_real(torch.randn(d_model, half, dtype=torch.cfloat)))
        self.log_A_real = nn.Parameter(torch.log(0.5 * torch.ones(d_model, half)))
        self.A_imag = nn.Parameter(math.pi * torch.arange(half).float().repeat(d_model, 1))
        self.D = nn.Parameter(torch.randn(d_model))

    def kernel(self, length):
        """K [H, L] = 2 Re sum_n C_n (exp(dtA_n) - 1)/A_n exp(dtA_n l)."""
        dt = torch.exp(self.log_dt)
        a = -torch.exp(self.log_A_real) + 1j * self.A_imag
        dta = a * dt[:, None]
        c = torch.view_as_complex(self.C) * (torch.exp(dta) - 1.0) / a
        return 2 * torch.einsum("hn,hnl->hl", c, torch.exp(dta[..., None] * torch.arange(length))).real

    def forward(self, u):
        """u [B, H, L] -> [B, H, L]."""
        length = u.shape[-1]
        k_f = torch.fft.rfft(self.kernel(length), n=2 * length)
        y = torch.fft.irfft(torch.fft.rfft(u, n=2 * length) * k_f, n=2 * length)[..., :length]
        return y + u * self.D[:, None]


class S4DBlock(nn.Module):
    """Pre-norm residual S4D block: x + GLU(Conv1x1(GELU(S4D(LayerNorm(x)))))."""

    def __init__(self, d_model, d_state=64):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.s4d = S4D(d_model, d_state)
        self.output_linear = nn.Conv1d(d_model, 2 * d_model, kernel_size=1)

    def forward(self, x):
        """x [B, L, H] -> [B, L, H]."""
        z = self.s4d(self.norm(x).transpose(1, 2))
        z = F.glu(self.output_linear(F.gelu(z)), dim=1)
        return x + z.transpose(1, 2)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Mamba(nn.Module):
    """The Mamba mixer (mamba_simple.py layout) with a sequential selective scan."""

    def __init__(self, d_model, d_state=16, d_conv=4, expand=2, dt_min=1e-3, dt_max=1e-1):
        super().__init__()
        self.d_inner = expand * d_model
        self.d_state = d_state
        self.dt_rank = math.ceil(d_model / 16)
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner, bias=False)
        self.conv1d = nn.Conv1d(self.d_inner, self.d_inner, d_conv, groups=self.d_inner, padding=d_conv - 1)
        self.x_proj = nn.Linear(self.d_inner, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, self.d_inner)
        nn.init.uniform_(self.dt_proj.weight, -self.dt_rank**-0.5, self.dt_rank**-0.5)
        dt = torch.exp(torch.rand(self.d_inner) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
        dt = dt.clamp(min=1e-4)
        with torch.no_grad():
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1).float().repeat(self.d_inner, 1)))
        self.D = nn.Parameter(torch.ones(self.d_inner))
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, x):
        """x [B, L, d_model] -> [B, L, d_model]."""
        length = x.shape[1]
        u, z = self.in_proj(x).chunk(2, dim=-1)
        u = F.silu(self.conv1d(u.transpose(1, 2))[..., :length].transpose(1, 2))
        dt, b, c = self.x_proj(u).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        dt = F.softplus(self.dt_proj(dt))  # [B, L, D]
        a = -torch.exp(self.A_log)  # [D, N]
        da = torch.exp(dt[..., None] * a)  # [B, L, D, N]
        dbu = dt[..., None] * b[:, :, None, :] * u[..., None]
        h = torch.zeros(x.shape[0], self.d_inner, self.d_state, dtype=x.dtype)
        ys = []
        for t in range(length):
            h = da[:, t] * h + dbu[:, t]
            ys.append((h * c[:, t, None, :]).sum(-1))
        y = torch.stack(ys, dim=1) + u * self.D
        return self.out_proj(y * F.silu(z))


class MambaForecaster(nn.Module):
    """RevIN, a 1 -> d_model embedding, residual Mamba blocks, a final RMSNorm; the head reads the last step."""

    def __init__(self, lookback, horizon, d_model=16, layers=2, d_state=16):
        super().__init__()
        self.lookback, self.horizon = lookback, horizon
        self.embed = nn.Linear(1, d_model)
        self.norms = nn.ModuleList([RMSNorm(d_model) for _ in range(layers)])
        self.mixers = nn.ModuleList([Mamba(d_model, d_state) for _ in range(layers)])
        self.norm_f = RMSNorm(d_model)
        self.head = nn.Linear(d_model, horizon)

    def forward(self, window):
        x, mean, std = revin(window)
        h = self.embed(x[..., None])
        for norm, mixer in zip(self.norms, self.mixers):
            h = h + mixer(norm(h))
        return self.head(self.norm_f(h[:, -1])) * std + mean


class DLinear(nn.Module):
    """DLinear (Zeng et al. 2023), shared across channels: moving-average trend + remainder, one linear map each."""

    def __init__(self, lookback, horizon, kernel=25):
        super().__init__()
        self.lookback, self.horizon, self.kernel = lookback, horizon, kernel
        self.trend = nn.Linear(lookback, horizon)
        self.seasonal = nn.Linear(lookback, horizon)

    def forward(self, window):
        pad = (self.kernel - 1) // 2
        padded = torch.cat([window[:, :1].expand(-1, pad), window, window[:, -1:].expand(-1, pad)], dim=1)
        trend = F.avg_pool1d(padded[:, None], self.kernel, stride=1)[:, 0]
        return self.trend(trend) + self.seasonal(window - trend)


MODELS = {"s4d": S4DForecaster, "mamba": MambaForecaster, "dlinear": DLinear}
