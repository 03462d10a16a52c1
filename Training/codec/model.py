"""Causal 16 kHz codec: strided causal conv encoder, grouped residual VQ (GRVQ), and a decoder that is either
causal transposed convs (cfg decoder "transposed", the shipped model) or Vocos-style causal ConvNeXt blocks at the
frame rate with an inverse-STFT head (cfg decoder "vocos").

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


class CausalConvNeXtBlock(nn.Module):
    """x + gamma * W2 gelu(W1 norm(dwconv(x))): a ConvNeXt block whose depthwise conv sees only past frames.

    LayerNorm runs over channels within one frame, so the block streams frame by frame (state: the last
    kernel - 1 input frames)."""

    def __init__(self, dim, hidden, kernel, layer_scale):
        super().__init__()
        self.dwconv = CausalConv1d(dim, dim, kernel, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pw1 = nn.Linear(dim, hidden)
        self.pw2 = nn.Linear(hidden, dim)
        self.gamma = nn.Parameter(torch.full((dim,), float(layer_scale)))

    def forward(self, x):
        y = self.dwconv(x).transpose(1, 2)
        y = self.pw2(F.gelu(self.pw1(self.norm(y))))
        return x + (self.gamma * y).transpose(1, 2)


class ISTFTHead(nn.Module):
    """Per frame, a log-magnitude and a phase for each of n_fft/2+1 bins -> n_fft windowed samples, overlap-added.

    Left-only framing: the frame of latent m (which has seen input up to sample (m+1)*hop) is placed on output
    samples [(m+1)*hop - n_fft, (m+1)*hop). With the periodic Hann window and n_fft = 2*hop the windows sum to
    exactly 1, so no envelope division is needed; output block m ([m*hop, (m+1)*hop)) is final once frame m+1
    has arrived: 2 frames (40 ms) of algorithmic latency. [B, dim, T] -> [B, 1, T * hop], whose last hop samples
    lack the next frame's half (the loss skips them)."""

    def __init__(self, dim, n_fft, hop):
        super().__init__()
        assert n_fft == 2 * hop, "the window-sum-to-one framing assumes 50% overlap"
        self.n_fft, self.hop = n_fft, hop
        self.proj = nn.Linear(dim, n_fft + 2)
        self.register_buffer("window", torch.hann_window(n_fft, periodic=True), persistent=False)

    def spectra(self, x):
        """[B, dim, T] -> complex [B, T, n_fft/2+1]."""
        h = self.proj(x.transpose(1, 2))
        log_mag, phase = h.chunk(2, dim=-1)
        mag = torch.exp(log_mag.clamp(max=6.0))
        return torch.polar(mag, phase)

    def forward(self, x):
        B, _, T = x.shape
        frames = torch.fft.irfft(self.spectra(x), n=self.n_fft) * self.window  # [B, T, n_fft]
        # Overlap-add with 50% overlap: first halves land one block earlier than second halves.
        first, second = frames[..., : self.hop], frames[..., self.hop:]
        out = second.clone()
        out[:, :-1] += first[:, 1:]
        return out.reshape(B, 1, T * self.hop)


class VocosDecoder(nn.Module):
    """Causal conv k7 (latent -> dim) and LayerNorm, causal ConvNeXt blocks at the frame rate, LayerNorm,
    inverse-STFT head: [B, D, T] -> [B, 1, T * hop]. All the work runs at 50 Hz, which is why it trains fast."""

    def __init__(self, cfg):
        super().__init__()
        dim = cfg["decoder_dim"]
        self.conv_in = CausalConv1d(cfg["latent_dim"], dim, 7)
        self.norm_in = nn.LayerNorm(dim, eps=1e-6)
        self.blocks = nn.ModuleList(CausalConvNeXtBlock(dim, cfg["decoder_hidden"], cfg["decoder_kernel"],
                                                        cfg.get("layer_scale", 0.1))
                                    for _ in range(cfg["decoder_blocks"]))
        self.norm_out = nn.LayerNorm(dim, eps=1e-6)
        hop = 1
        for s in cfg["strides"]:
            hop *= s
        self.head = ISTFTHead(dim, 2 * hop, hop)

    def forward(self, z):
        x = self.norm_in(self.conv_in(z).transpose(1, 2)).transpose(1, 2)
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm_out(x.transpose(1, 2)).transpose(1, 2))


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
        self.decoder = VocosDecoder(cfg) if cfg.get("decoder", "transposed") == "vocos" else Decoder(cfg)

    def forward(self, audio, quantize=True):
        """audio [B, 1, T] (T a multiple of the hop) -> (reconstruction, codes, commit loss).

        quantize=False bypasses the quantizer (autoencoder warm-up before the codebooks are initialized)."""
        latent = self.encoder(audio)
        if not quantize:
            return self.decoder(latent), None, torch.zeros((), device=audio.device)
        quantized, codes, commit = self.quantizer(latent)
        return self.decoder(quantized), codes, commit
