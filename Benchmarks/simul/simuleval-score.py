"""SimulEval's own scores of an instance log, as one JSON object (its `simuleval --score-only`, whose printed table
pandas truncates to the terminal's width; the same parser, evaluator and scorers, the results as JSON).

Usage (in the venv with simuleval 1.1.4): simuleval-score.py [simuleval --score-only arguments]
"""
import sys

from simuleval import options
from simuleval.evaluator import SentenceLevelEvaluator

parser = options.general_parser()
options.add_evaluator_args(parser)
options.add_scorer_args(parser)
options.add_dataloader_args(parser)
args = parser.parse_args(["--score-only"] + sys.argv[1:])
print(SentenceLevelEvaluator.from_args(args).results.iloc[0].to_json())
