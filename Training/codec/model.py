"""Causal 16 kHz codec: strided causal conv encoder, grouped residual VQ (GRVQ), causal transposed-conv decoder.

Streaming rule (EnCodec's): a conv with effective kernel k_eff and stride s pads k_eff - s zeros on the left
only; a transposed conv with kernel k and stride s trims k - s samples from the right, so T frames map to
exactly T * s samples and every output depends only on past input.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalConv1d(nn.Conv1d):
    """Conv1d with k_eff - stride zeros of left padding: [B, Cin, T] -> [B, Cout, T / stride]."""

    def forward(self, x):
        k_eff = (self.kernel_size[0] - 1) * self.dilation[0] + 1
        return super().forward(F.pad(x, (k_eff - self.stride[0], 0)))


class CausalConvTranspose1d(nn.ConvTranspose1d):
    """ConvTranspose1d trimmed by kernel - stride on the right: [B, Cin, T] -> [B, Cout, T * stride]."""

    def forward(self, x):
        y = super().forward(x)
        return y[..., : y.shape[-1] - (self.kernel_size[0] - self.stride[0])]


class ResidualUnit(nn.Module):
    """x + conv2(elu(conv1(elu(x)))), conv1 causal k3 dilated, conv2 pointwise."""

    def __init__(self, channels, dilation):
        super().__init__()
        self.conv1 = CausalConv1d(channels, channels, 3, dilation=dilation)
        self.conv2 = CausalConv1d(channels, channels, 1)

    def forward(self, x):
        return x + self.conv2(F.elu(self.conv1(F.elu(x))))


class EncoderBlock(nn.Module):
    def __init__(self, channels, stride, dilation):
        super().__init__()
        self.res = ResidualUnit(channels, dilation)
        self.down = CausalConv1d(channels, channels * 2, 2 * stride, stride=stride)

    def forward(self, x):
        return self.down(F.elu(self.res(x)))


class DecoderBlock(nn.Module):
    def __init__(self, channels, stride, dilation):
        super().__init__()
        self.up = CausalConvTranspose1d(channels, channels // 2, 2 * stride, stride=stride)
        self.res = ResidualUnit(channels // 2, dilation)

    def forward(self, x):
        return self.res(self.up(F.elu(x)))


class Encoder(nn.Module):
    """[B, 1, T] -> [B, D, T / hop]."""

    def __init__(self, cfg):
        super().__init__()
        c = cfg["channels"]
        self.conv_in = CausalConv1d(1, c, 7)
        blocks = []
        for stride in cfg["strides"]:
            blocks.append(EncoderBlock(c, stride, cfg["dilation"]))
            c *= 2
        self.blocks = nn.ModuleList(blocks)
        self.conv_out = CausalConv1d(c, cfg["latent_dim"], 3)

    def forward(self, x):
        x = self.conv_in(x)
        for block in self.blocks:
            x = block(x)
        return self.conv_out(F.elu(x))


class Decoder(nn.Module):
    """[B, D, T] -> [B, 1, T * hop]."""

    def __init__(self, cfg):
        super().__init__()
        c = cfg["channels"] * 2 ** len(cfg["strides"])
        self.conv_in = CausalConv1d(cfg["latent_dim"], c, 7)
        blocks = []
        for stride in reversed(cfg["strides"]):
            blocks.append(DecoderBlock(c, stride, cfg["dilation"]))
            c //= 2
        self.blocks = nn.ModuleList(blocks)
        self.conv_out = CausalConv1d(c, 1, 7)

    def forward(self, z):
        x = self.conv_in(z)
        for block in self.blocks:
            x = block(x)
        return self.conv_out(F.elu(x))


class GRVQ(nn.Module):
    """Grouped residual VQ: D splits into G groups; each group is quantized by L residual levels of K codes.

    Codebooks live in one buffer `codebooks` [L, G, K, D/G]; updates are EMA (decay, Laplace smoothing), the
    first batch initializes them by k-means, codes whose EMA count falls under a threshold are restarted from
    random batch vectors. Codes per frame are ordered level-major: [l0g0, l0g1, l1g0, l1g1].
    """

    def __init__(self, cfg):
        super().__init__()
        self.L, self.G, self.K = cfg["levels"], cfg["groups"], cfg["codebook_size"]
        self.d = cfg["latent_dim"] // self.G
        self.decay, self.eps = cfg["ema_decay"], 1e-5
        self.dead_threshold = cfg["dead_code_threshold"]
        self.register_buffer("codebooks", torch.randn(self.L, self.G, self.K, self.d))
        self.register_buffer("ema_count", torch.ones(self.L, self.G, self.K))
        self.register_buffer("ema_sum", self.codebooks.clone())
        self.register_buffer("inited", torch.tensor(False))

    @staticmethod
    def nearest(x, codebook):
        """Index of the nearest code by ||c||^2 - 2 x.c (argmin takes the first of ties): [N, d] -> [N]."""
        distance = (codebook * codebook).sum(1)[None, :] - 2 * x @ codebook.t()
        return distance.argmin(1)

    @torch.no_grad()
    def kmeans_init(self, z, iters=10):
        """k-means on latents z [N, D], level by level on the residuals."""
        residual = z.view(-1, self.G, self.d).clone()
        for level in range(self.L):
            for g in range(self.G):
                x = residual[:, g]
                centers = x[torch.randint(0, x.shape[0], (self.K,))].clone()
                for _ in range(iters):
                    idx = self.nearest(x, centers)
                    sums = torch.zeros_like(centers).index_add_(0, idx, x)
                    counts = torch.bincount(idx, minlength=self.K).float()
                    used = counts > 0
                    centers[used] = sums[used] / counts[used, None]
                self.codebooks[level, g] = centers
                self.ema_sum[level, g] = centers
                self.ema_count[level, g] = 1.0
                residual[:, g] -= centers[self.nearest(x, centers)]
        self.inited.fill_(True)

    @torch.no_grad()
    def ema_update(self, level, g, x, idx):
        onehot_count = torch.bincount(idx, minlength=self.K).float()
        sums = torch.zeros(self.K, self.d, device=x.device).index_add_(0, idx, x)
        self.ema_count[level, g].mul_(self.decay).add_(onehot_count, alpha=1 - self.decay)
        self.ema_sum[level, g].mul_(self.decay).add_(sums, alpha=1 - self.decay)
        n = self.ema_count[level, g].sum()
        smoothed = (self.ema_count[level, g] + self.eps) / (n + self.K * self.eps) * n
        self.codebooks[level, g] = self.ema_sum[level, g] / smoothed[:, None]
        dead = self.ema_count[level, g] < self.dead_threshold
        if dead.any():
            picks = x[torch.randint(0, x.shape[0], (int(dead.sum()),), device=x.device)]
            self.codebooks[level, g][dead] = picks
            self.ema_sum[level, g][dead] = picks
            self.ema_count[level, g][dead] = 1.0

    def forward(self, z):
        """z [B, D, T] -> (quantized [B, D, T] with straight-through gradient, codes [B, T, L*G], commit loss)."""
        B, D, T = z.shape
        flat = z.transpose(1, 2).reshape(-1, D)
        if self.training and not bool(self.inited):
            self.kmeans_init(flat.detach())
        residual = flat.view(-1, self.G, self.d)
        quantized = torch.zeros_like(residual)
        codes, commit = [], 0.0
        for level in range(self.L):
            level_q = []
            for g in range(self.G):
                x = residual[:, g]
                idx = self.nearest(x.detach(), self.codebooks[level, g])
                q = self.codebooks[level, g][idx]
                if self.training:
                    self.ema_update(level, g, x.detach(), idx)
                commit = commit + F.mse_loss(x, q.detach())
                codes.append(idx)
                level_q.append(q)
            q = torch.stack(level_q, 1)
            quantized = quantized + q
            residual = residual - q.detach()
        out = flat + (quantized.view(-1, D) - flat).detach()
        codes = torch.stack(codes, 1).view(B, T, self.L * self.G)
        return out.view(B, T, D).transpose(1, 2), codes, commit / (self.L * self.G)

    def decode(self, codes):
        """codes [B, T, L*G] -> latent [B, D, T]."""
        B, T, _ = codes.shape
        parts = torch.zeros(B, T, self.G, self.d, device=codes.device)
        for level in range(self.L):
            for g in range(self.G):
                parts[:, :, g] += self.codebooks[level, g][codes[:, :, level * self.G + g]]
        return parts.view(B, T, -1).transpose(1, 2)


class Codec(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.quantizer = GRVQ(cfg)
        self.decoder = Decoder(cfg)

    def forward(self, audio, quantize=True):
        """audio [B, 1, T] (T a multiple of the hop) -> (reconstruction, codes, commit loss).

        quantize=False bypasses the quantizer (autoencoder warm-up before the codebooks are initialized)."""
        latent = self.encoder(audio)
        if not quantize:
            return self.decoder(latent), None, torch.zeros((), device=audio.device)
        quantized, codes, commit = self.quantizer(latent)
        return self.decoder(quantized), codes, commit
