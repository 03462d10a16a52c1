"""Writes the tokenizer fixtures from the reference implementations.

- tokenizer-cases.json: strings and the ids Hugging Face `tokenizers` gives them with tiny.en's tokenizer.json
  (no special tokens added); openai-whisper's tiktoken GPT-2 encoding must agree on every case.
- word-split-cases.json: token ids (text tokens plus <|endoftext|>) and the words openai-whisper's
  `Tokenizer.split_to_word_tokens` makes of them, for a language that splits on spaces and one that splits
  on Unicode boundaries.

Usage (in a throwaway venv with `tokenizers` and `tiktoken`, and openai-whisper's sdist unpacked, e.g.
`pip download openai-whisper==20250625 --no-deps` then `tar xzf`):

    python make_tokenizer_cases.py ~/.cache/sluice/models/tiny.en/tokenizer.json /tmp/openai_whisper-20250625
"""

import importlib.util
import json
import os
import sys

from tokenizers import Tokenizer

ENCODE_CASES = [
    "",
    "Hello world",
    " Hello world",
    "  two leading spaces",
    "trailing space ",
    "multiple   spaces   between words",
    "tabs\tand\nnewlines\n",
    "line one\n\nline two",
    "a  \n  b",
    "   ",
    "\n",
    "I'm sure it's what you'd've wanted, isn't it? We'll see, they're here.",
    "THEY'LL SAY 'HELLO' ALL DAY",
    "'s 't 're 've 'm 'll 'd 'x",
    "'''quotes''' \"double\" `back`",
    "Numbers: 1234567890, 3.14159 and 1,000,000.",
    "Prices $9.99 \u2014 50% off!!!",
    "naïve café \u2014 東京",
    "Ünïcödé ñoño Straße",
    "cafe\u0301 decomposed",
    "Привет, как дела?",
    "こんにちは世界。今日はいい天気ですね。",
    "안녕하세요 세계",
    "مرحبا بالعالم",
    "emoji 🎉🚀 and 👩\u200d👩\u200d👧",
    "Hello... world?! (yes) [no] {maybe} <tag>",
    "email@example.com https://openai.com/whisper?x=1&y=2",
    "snake_case camelCase kebab-case",
    "Mr. Smith's 2nd-floor office (Room #42B).",
    " And so, my fellow Americans: ask not what your country can do for you.",
    "½ ⅓ ² ٣ Ⅻ numbers",
    "a\u00a0b x\u3000y\u2009z",
    "\u200bzero width",
    "ends with newlines\n\n\n",
    "crlf\r\nline\tmixed \t tabs",
    "vt\x0bff\x0cnel\x85ls\u2028end",
]

WORD_CASES = [
    ("en", " And so, my fellow Americans: ask not what your country can do for you."),
    ("en", " I'm sure it's 3.14 -- \"quoted\", isn't it?!"),
    ("en", " naïve café \u2014 東京 is 5,000km away."),
    ("ja", "こんにちは世界。今日はいい天気ですね。"),
    ("zh", "你好，世界！"),
]


def main(tokenizer_path, whisper_root):
    spec = importlib.util.spec_from_file_location("whisper_tokenizer", os.path.join(whisper_root, "whisper", "tokenizer.py"))
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    gpt2 = reference.get_encoding("gpt2")
    hf = Tokenizer.from_file(tokenizer_path)

    def encode(text):
        ids = hf.encode(text, add_special_tokens=False).ids
        assert ids == gpt2.encode_ordinary(text), f"tokenizers and tiktoken disagree on {text!r}"
        assert hf.decode(ids) == text, f"{text!r} does not round-trip"
        return ids

    here = os.path.dirname(os.path.abspath(__file__))
    cases = [{"text": text, "ids": encode(text)} for text in ENCODE_CASES]
    write(os.path.join(here, "tokenizer-cases.json"), cases)

    splits = []
    for language, text in WORD_CASES:
        tokenizer = reference.Tokenizer(encoding=gpt2, num_languages=99, language=language, task="transcribe")
        tokens = encode(text) + [tokenizer.eot]
        words, word_tokens = tokenizer.split_to_word_tokens(tokens)
        splits.append({"language": language, "tokens": tokens,
                       "words": [{"word": w, "tokens": t} for w, t in zip(words, word_tokens)]})
    write(os.path.join(here, "word-split-cases.json"), splits)


def write(path, cases):
    """One case a line, so that diffs stay readable."""
    with open(path, "w", encoding="utf-8") as file:
        file.write("[\n" + ",\n".join(json.dumps(case, ensure_ascii=False) for case in cases) + "\n]\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
