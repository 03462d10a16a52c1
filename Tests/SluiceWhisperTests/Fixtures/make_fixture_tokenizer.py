"""Writes fixture-tokenizer.json: a minimal byte-level BPE tokenizer.json for unit tests that need no model.

The vocabulary is the 256 byte characters of GPT-2's alphabet (id = byte value), then the results of nine
hand-picked merges, then four added (special) tokens. The merges are ranked so that rank, not position,
decides: in "ell" the `l l` merge (rank 2) wins over `e l` (rank 5), giving `e`, `ll`. The two punctuation
merges give word splitting a multi-character punctuation token that is (`,-`) and one that is not (`?!`) a
substring of Python's string.punctuation.

Run with Hugging Face `tokenizers` installed to also print how it encodes the strings the tests pin.
"""

import json
import os

MERGES = ["Ġ t", "h e", "l l", "ll o", "he llo", "e l", "Ġt he", "? !", ", -"]
SPECIALS = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|ja|>"]


def byte_alphabet():
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            characters[byte] = chr(byte)
        else:
            characters[byte] = chr(256 + extra)
            extra += 1
    return characters


def main():
    vocab = {character: byte for byte, character in byte_alphabet().items()}
    for merge in MERGES:
        vocab[merge.replace(" ", "")] = len(vocab)
    added = [{"id": len(vocab) + index, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for index, content in enumerate(SPECIALS)]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "vocab": vocab, "merges": MERGES},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixture-tokenizer.json")
    with open(path, "w", encoding="utf-8") as file:
        json.dump(tokenizer, file, ensure_ascii=False)
        file.write("\n")
    print(f"wrote {path}")
    try:
        from tokenizers import Tokenizer
    except ImportError:
        return
    hf = Tokenizer.from_file(path)
    for text in ["hello", "ell", "help", " the hello", "hello, the  end\n", "é", "hi?! hello,-"]:
        print(repr(text), hf.encode(text, add_special_tokens=False).ids)


if __name__ == "__main__":
    main()
