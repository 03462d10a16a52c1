"""Codec training losses: multi-resolution log-mel L1, multi-resolution compressed complex STFT (which makes the
phase right), and a small multi-resolution STFT discriminator with hinge loss and feature matching."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def mel_filterbank(n_fft, n_mels, rate):
    """HTK-style triangular mel filters [n_mels, n_fft/2+1]."""
    to_mel = lambda f: 2595 * math.log10(1 + f / 700)
    mels = torch.linspace(to_mel(0), to_mel(rate / 2), n_mels + 2)
    hz = 700 * (10 ** (mels / 2595) - 1)
    bins = torch.linspace(0, rate / 2, n_fft // 2 + 1)
    lower, center, upper = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (bins[None] - lower) / (center - lower)
    down = (upper - bins[None]) / (upper - center)
    return torch.clamp(torch.minimum(up, down), min=0)


class MultiScaleMel(nn.Module):
    """Mean over scales of L1 between natural-log mel spectrograms (n_fft 2^6..2^11, hop n_fft/4)."""

    def __init__(self, rate=16000, scales=(64, 128, 256, 512, 1024, 2048)):
        super().__init__()
        self.scales = scales
        for n in scales:
            self.register_buffer(f"win{n}", torch.hann_window(n), persistent=False)
            self.register_buffer(f"fb{n}", mel_filterbank(n, min(80, n // 4), rate), persistent=False)

    def log_mel(self, x, n):
        spec = torch.stft(x, n, n // 4, window=getattr(self, f"win{n}"), return_complex=True).abs()
        return torch.log(getattr(self, f"fb{n}") @ spec + 1e-5)

    def forward(self, fake, real):
        fake, real = fake.squeeze(1), real.squeeze(1)
        return sum(F.l1_loss(self.log_mel(fake, n), self.log_mel(real, n)) for n in self.scales) / len(self.scales)


class ComplexSTFTLoss(nn.Module):
    """Mean over scales of the MSE between power-law compressed complex spectra |X|^c e^{i angle X} (c = 0.3),
    plus the same on compressed magnitudes: the complex term only falls when the phase is right."""

    def __init__(self, scales=(256, 512, 1024), power=0.3):
        super().__init__()
        self.scales, self.power = scales, power
        for n in scales:
            self.register_buffer(f"win{n}", torch.hann_window(n), persistent=False)

    def compressed(self, x, n):
        spec = torch.stft(x, n, n // 4, window=getattr(self, f"win{n}"), return_complex=True)
        mag = spec.abs().clamp_min(1e-8)
        return spec * (mag ** (self.power - 1)), mag ** self.power

    def forward(self, fake, real):
        fake, real = fake.squeeze(1), real.squeeze(1)
        total = 0.0
        for n in self.scales:
            cf, mf = self.compressed(fake, n)
            cr, mr = self.compressed(real, n)
            total = total + (cf - cr).abs().pow(2).mean() + (mf - mr).pow(2).mean()
        return total / len(self.scales)


class STFTDiscriminator(nn.Module):
    """One resolution: 2D convs over the (real, imag) STFT, strided along frequency (EnCodec's layout, narrow)."""

    def __init__(self, n_fft, channels=8):
        super().__init__()
        self.n_fft = n_fft
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        c = channels
        self.convs = nn.ModuleList([
            nn.Conv2d(2, c, (3, 9), stride=(1, 2), padding=(1, 4)),
            nn.Conv2d(c, c, (3, 9), stride=(1, 2), padding=(1, 4)),
            nn.Conv2d(c, c, (3, 9), stride=(1, 2), padding=(2, 4), dilation=(2, 1)),
            nn.Conv2d(c, c, (3, 9), stride=(1, 2), padding=(4, 4), dilation=(4, 1)),
            nn.Conv2d(c, c, (3, 3), padding=(1, 1)),
        ])
        self.out = nn.Conv2d(c, 1, (3, 3), padding=(1, 1))

    def forward(self, x):
        spec = torch.stft(x.squeeze(1), self.n_fft, self.n_fft // 4, window=self.window, return_complex=True)
        h = torch.stack([spec.real, spec.imag], 1).transpose(2, 3)  # [B, 2, frames, bins]
        features = []
        for conv in self.convs:
            h = F.leaky_relu(conv(h), 0.2)
            features.append(h)
        return self.out(h), features


class MultiResolutionDiscriminator(nn.Module):
    def __init__(self, scales=(256, 512, 1024), channels=8):
        super().__init__()
        self.discriminators = nn.ModuleList(STFTDiscriminator(n, channels) for n in scales)

    def forward(self, x):
        return [d(x) for d in self.discriminators]


def discriminator_loss(disc, fake, real):
    """Hinge loss on detached fake audio."""
    loss = 0.0
    for (lf, _), (lr, _) in zip(disc(fake.detach()), disc(real)):
        loss = loss + F.relu(1 - lr).mean() + F.relu(1 + lf).mean()
    return loss / len(disc.discriminators)


def generator_adversarial_loss(disc, fake, real):
    """(hinge adversarial loss, feature matching L1 relative to the real feature's mean magnitude)."""
    adv, fm, n_fm = 0.0, 0.0, 0
    with torch.no_grad():
        real_out = disc(real)
    for (lf, ff), (_, fr) in zip(disc(fake), real_out):
        adv = adv + F.relu(1 - lf).mean()
        for a, b in zip(ff, fr):
            fm = fm + F.l1_loss(a, b) / (b.abs().mean() + 1e-5)
            n_fm += 1
    return adv / len(disc.discriminators), fm / n_fm
