"""Writes golden fixtures for the Swift port from an exported model: a short speech excerpt, its encoder
latent, its codes, and the samples decoded from those codes (float32, in one safetensors file).

    python golden.py --model ../../Sources/SluiceCodec/Model --audio ../../Samples/1089-134686-0001.flac \
        --out ../../Tests/SluiceCodecTests/Fixtures/codec-golden.safetensors

The bundled model is one decoder design; `--make-tiny DESIGN DIR` writes a small randomly initialized model of the
other design for its own fixtures (codebooks by k-means on the whole file's latents, so that codes vary, then
jittered so that no two codes coincide: an exact tie would make the nearest code depend on rounding):

    python golden.py --make-tiny transposed ../../Tests/SluiceCodecTests/Fixtures/tiny-transposed \
        --audio ../../Samples/1089-134686-0001.flac
    python golden.py --model ../../Tests/SluiceCodecTests/Fixtures/tiny-transposed \
        --audio ../../Samples/1089-134686-0001.flac --out ../../Tests/SluiceCodecTests/Fixtures/tiny-transposed/golden.safetensors
"""
import argparse
import json
import os

import soundfile
import torch
from safetensors.torch import load_file, save_file

from model import Codec


def load_model(directory):
    """The exported model, weights widened to float32 exactly as the Swift reader widens them."""
    cfg = json.load(open(f"{directory}/codec.json"))
    cfg.update(ema_decay=0.99, dead_code_threshold=0.0)  # training-only fields, unused in eval
    model = Codec(cfg)
    state = {k: v.float() for k, v in load_file(f"{directory}/codec.safetensors").items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(k.startswith("quantizer.") for k in missing), (missing, unexpected)
    model.quantizer.inited.fill_(True)
    return model.eval(), cfg


TINY = {"sample_rate": 16000, "channels": 2, "strides": [2, 4, 5, 8], "dilation": 1, "latent_dim": 8, "groups": 2,
        "levels": 2, "codebook_size": 16, "hop": 320}
TINY_VOCOS = {"decoder": "vocos", "decoder_dim": 16, "decoder_hidden": 48, "decoder_blocks": 2, "decoder_kernel": 7}


def excerpt(path, start, frames, hop):
    audio, rate = soundfile.read(path, dtype="float32")
    assert rate == 16000
    return torch.from_numpy(audio[start:start + frames * hop].copy())[None, None]


def make_tiny(design, directory, x):
    """A small random model of `design`, exported as train.py exports (float16 weights, codec.json)."""
    torch.manual_seed(0)
    cfg = dict(TINY, decoder=design, **(TINY_VOCOS if design == "vocos" else {}))
    model = Codec(dict(cfg, ema_decay=0.99, dead_code_threshold=0.0))
    with torch.no_grad():
        model.quantizer.kmeans_init(model.encoder(x).transpose(1, 2).reshape(-1, cfg["latent_dim"]))
        books = model.quantizer.codebooks
        books += 0.05 * books.std() * torch.randn_like(books)
    state = {k: v.detach().half().contiguous() for k, v in model.state_dict().items()
             if not k.startswith("quantizer.") or k == "quantizer.codebooks"}
    os.makedirs(directory, exist_ok=True)
    save_file(state, f"{directory}/codec.safetensors")
    with open(f"{directory}/codec.json", "w") as f:
        f.write(json.dumps(dict(cfg, training={"note": "random weights, for parity tests only"}), indent=2) + "\n")
    print(f"{directory}: tiny {design} model")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model")
    parser.add_argument("--make-tiny", nargs=2, metavar=("DESIGN", "DIR"))
    parser.add_argument("--audio", required=True)
    parser.add_argument("--out")
    parser.add_argument("--start", type=int, default=16000, help="first sample of the excerpt")
    parser.add_argument("--frames", type=int, default=20)
    args = parser.parse_args()

    if args.make_tiny:
        design, directory = args.make_tiny
        audio, _ = soundfile.read(args.audio, dtype="float32")
        whole = len(audio) // TINY["hop"]
        make_tiny(design, directory, excerpt(args.audio, 0, whole, TINY["hop"]))
        return
    model, cfg = load_model(args.model)
    hop = cfg["hop"]
    x = excerpt(args.audio, args.start, args.frames, hop)
    with torch.no_grad():
        latent = model.encoder(x)
        _, codes, _ = model.quantizer(latent)
        decoded = model.decoder(model.quantizer.decode(codes))
    save_file({"input": x[0, 0].contiguous(), "latent": latent[0].t().contiguous(),
               "codes": codes[0].to(torch.int32).contiguous(), "decoded": decoded[0, 0].contiguous()}, args.out)
    print(f"{args.out}: {args.frames} frames, codes {codes[0, :3].tolist()}...")


if __name__ == "__main__":
    main()
