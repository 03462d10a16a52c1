"""Writes golden fixtures for the Swift port from an exported model: a short speech excerpt, its encoder
latent, its codes, and the samples decoded from those codes (float32, in one safetensors file).

    python golden.py --model ../../Sources/SluiceCodec/Model --audio ../../Samples/1089-134686-0001.flac \
        --out ../../Tests/SluiceCodecTests/Fixtures/codec-golden.safetensors
"""
import argparse
import json

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--audio", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--start", type=int, default=16000, help="first sample of the excerpt")
    parser.add_argument("--frames", type=int, default=20)
    args = parser.parse_args()

    model, cfg = load_model(args.model)
    hop = cfg["hop"]
    audio, rate = soundfile.read(args.audio, dtype="float32")
    assert rate == cfg["sample_rate"]
    x = torch.from_numpy(audio[args.start:args.start + args.frames * hop].copy())[None, None]
    with torch.no_grad():
        latent = model.encoder(x)
        _, codes, _ = model.quantizer(latent)
        decoded = model.decoder(model.quantizer.decode(codes))
    save_file({"input": x[0, 0].contiguous(), "latent": latent[0].t().contiguous(),
               "codes": codes[0].to(torch.int32).contiguous(), "decoded": decoded[0, 0].contiguous()}, args.out)
    print(f"{args.out}: {args.frames} frames, codes {codes[0, :3].tolist()}...")


if __name__ == "__main__":
    main()
