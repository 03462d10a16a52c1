"""The time-series benchmark tables: ETT MSE/MAE, NAB score and streaming cost (see Benchmarks/series-benchmark.sh).

    NAB_PYTHON=VENV/bin/python python3 Benchmarks/series/report.py SLUICE ETT_DIR NAB_DIR [PARTS]

NAB_DIR is a whole NAB checkout (Benchmarks/series/fetch-nab.sh): its Python scorer (run.py) scores the results
files `sluice series nab --results` writes, next to Sluice's scorer. NAB_PYTHON runs it (pandas installed).
PARTS: a comma-separated subset of ett,nab,cost (default all).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HORIZONS = (96, 192, 336, 720)
# Published MSE/MAE (../shared/reference/models-anchors.md §4.2): lookback in the column name.
PUBLISHED = {
    "Informer (L96)": {("ETTh1", 96): (0.865, 0.713), ("ETTh1", 192): (1.008, 0.792), ("ETTh1", 336): (1.107, 0.809), ("ETTh1", 720): (1.181, 0.865)},
    "DLinear (L336)": {("ETTh1", 96): (0.375, 0.399), ("ETTh1", 192): (0.405, 0.416), ("ETTh1", 336): (0.439, 0.443), ("ETTh1", 720): (0.472, 0.490),
                       ("ETTh2", 96): (0.289, 0.353), ("ETTh2", 192): (0.383, 0.418), ("ETTh2", 336): (0.448, 0.465), ("ETTh2", 720): (0.605, 0.551)},
    "PatchTST/64 (L512)": {("ETTh1", 96): (0.370, 0.400), ("ETTh1", 192): (0.413, 0.429), ("ETTh1", 336): (0.422, 0.440), ("ETTh1", 720): (0.447, 0.468),
                           ("ETTh2", 96): (0.274, 0.337), ("ETTh2", 192): (0.341, 0.382), ("ETTh2", 336): (0.329, 0.384), ("ETTh2", 720): (0.379, 0.422)},
    "iTransformer (L96)": {("ETTh1", 96): (0.386, 0.405), ("ETTh1", 192): (0.441, 0.436), ("ETTh1", 336): (0.487, 0.458), ("ETTh1", 720): (0.503, 0.491),
                           ("ETTh2", 96): (0.297, 0.349), ("ETTh2", 192): (0.380, 0.400), ("ETTh2", 336): (0.428, 0.432), ("ETTh2", 720): (0.427, 0.445)},
}
PUBLISHED_ETTM = {  # DLinear (L336) and PatchTST/64 (L512)
    ("ETTm1", 96): ((0.299, 0.343), (0.293, 0.346)), ("ETTm1", 192): ((0.335, 0.365), (0.333, 0.370)),
    ("ETTm1", 336): ((0.369, 0.386), (0.369, 0.392)), ("ETTm1", 720): ((0.425, 0.421), (0.416, 0.420)),
    ("ETTm2", 96): ((0.167, 0.260), (0.166, 0.256)), ("ETTm2", 192): ((0.224, 0.303), (0.223, 0.296)),
    ("ETTm2", 336): ((0.281, 0.342), (0.274, 0.329)), ("ETTm2", 720): ((0.397, 0.421), (0.362, 0.385)),
}
S_MAMBA_AVERAGE = {"ETTh1": (0.455, 0.450), "ETTh2": (0.381, 0.405)}  # 4-horizon averages, L96


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def cell(pair):
    return f"{pair[0]:.3f} / {pair[1]:.3f}" if pair else "–"


def ett(sluice, ett_dir):
    trained = {}
    baselines = os.path.join(HERE, "results", "baselines.jsonl")
    if os.path.exists(baselines):
        for line in filter(str.strip, open(baselines)):
            r = json.loads(line)
            name = f"{r['model']} (L{r['lookback']}, trained here)"
            trained.setdefault(name, {})[(os.path.basename(r["data"])[:-4], r["horizon"])] = (r["mse"], r["mae"])
    print("## ETT (MSE / MAE on scaled values, every test window, channel and step)\n")
    columns = ["Sluice S4D (L336)", "S4D PyTorch (same weights)", "windows"] + sorted(trained) + list(PUBLISHED) + ["repeat-last", "seasonal-naive 24 h"]
    print("| dataset | H | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    worst = 0.0
    for dataset in ("ETTh1", "ETTh2"):
        path = os.path.join(ett_dir, dataset + ".csv")
        for horizon in HORIZONS:
            name = f"{dataset.lower()}-{horizon}"
            ours = json.loads(run(sluice, "series", "eval", "--model", name, "--data", path, "--horizon", str(horizon)))
            config = os.path.join(HERE, "..", "..", "Sources", "SluiceSeries", "Models", name, "config.json")
            test = json.load(open(config))["test"]  # the PyTorch evaluation stored at export
            torch = (test["mse"], test["mae"])
            worst = max(worst, abs(ours["mse"] - torch[0]), abs(ours["mae"] - torch[1]))
            naive = json.loads(run(sys.executable, os.path.join(HERE, "ett_naive.py"), path, str(horizon)))
            row = [cell((ours["mse"], ours["mae"])), cell(torch), str(ours["windows"])]
            row += [cell(trained[t].get((dataset, horizon))) for t in sorted(trained)]
            row += [cell(PUBLISHED[p].get((dataset, horizon))) for p in PUBLISHED]
            row += [cell(naive["repeat_last"]), cell(naive["seasonal_24"])]
            print(f"| {dataset} | {horizon} | " + " | ".join(row) + " |")
    print(f"\nS-Mamba (L96) 4-horizon averages: ETTh1 {cell(S_MAMBA_AVERAGE['ETTh1'])}, ETTh2 {cell(S_MAMBA_AVERAGE['ETTh2'])}.")
    print(f"Largest |Swift − PyTorch| over the MSE and MAE of the 8 models: {worst:.2e}\n")
    ettm = os.path.join(HERE, "results", "s4d-ettm.jsonl")
    if os.path.exists(ettm):
        print("ETTm (15-minute files; S4D trained by the same recipe, not shipped; PyTorch evaluation):\n")
        print("| dataset | H | windows | S4D (L336) | DLinear (L336, published) | PatchTST/64 (L512, published) |")
        print("|---|---|---|---|---|---|")
        for line in filter(str.strip, open(ettm)):
            r = json.loads(line)
            key = (os.path.basename(r["data"])[:-4], r["horizon"])
            dlinear, patchtst = PUBLISHED_ETTM[key]
            print(f"| {key[0]} | {key[1]} | {r['windows']} | {cell((r['mse'], r['mae']))} | {cell(dlinear)} | {cell(patchtst)} |")
        print()


NAB_DETECTORS = (("forecast_residual", "sluiceForecastResidual", "Sluice forecast residual (etth1-96 S4D, default settings)"),
                 ("windowed_gaussian", "sluiceWindowedGaussian", "Windowed Gaussian (NAB's baseline, reimplemented in Sluice)"),
                 (None, "numenta", "Numenta HTM (NAB's own results files, `--from-results`)"))
PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")


def nab(sluice, nab_dir):
    """Sluice's detectors on the whole corpus, scored by Sluice's scorer and by NAB's own run.py on the same files."""
    python = os.environ.get("NAB_PYTHON", sys.executable)
    work = tempfile.mkdtemp(prefix="sluice-nab-")
    try:
        for name in ("null", "numenta"):  # NAB's normaliser needs null; numenta checks the scorer on others' files
            shutil.copytree(os.path.join(nab_dir, "results", name), os.path.join(work, name))
        ours = {}
        for flag, name, _ in NAB_DETECTORS:
            if flag is None:
                ours[name] = json.loads(run(sluice, "series", "nab", "--data", nab_dir, "--from-results", os.path.join(work, name)))
                continue
            extra = ["--cross-validate"] if flag == "forecast_residual" else []
            ours[name] = json.loads(run(sluice, "series", "nab", "--data", nab_dir, "--detector", flag, "--results", work, *extra))
        names = ["null"] + [name for _, name, _ in NAB_DETECTORS]
        subprocess.run([python, "run.py", "-d", ",".join(names), "--optimize", "--score", "--normalize", "--skipConfirmation",
                        "--resultsDir", work, "-t", os.path.join(work, "thresholds.json"), "-n", "2"],
                       cwd=nab_dir, check=True, capture_output=True, text=True)
        theirs = json.load(open(os.path.join(work, "final_results.json")))
        thresholds = json.load(open(os.path.join(work, "thresholds.json")))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    commit = subprocess.run(["git", "-C", nab_dir, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"## NAB (normalised score, threshold swept over the corpus; NAB {commit or nab_dir})\n")
    first = ours[NAB_DETECTORS[0][1]]
    print(f"{first['files']} labelled files, {first['rows']:,} rows. Each detector's results files scored by Sluice's scorer "
          "(`sluice series nab`) and by NAB's own (`python run.py --optimize --score --normalize`, its null results for "
          "normalisation).\n")
    print("| detector | profile | Sluice's scorer | NAB's scorer | difference | threshold (Sluice / NAB) |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for _, name, label in NAB_DETECTORS:
        for profile in PROFILES:
            a, b = ours[name][profile]["score"], theirs[name][profile]
            ta, tb = ours[name][profile]["threshold"], thresholds[name][profile]["threshold"]
            worst = max(worst, abs(a - b))
            print(f"| {label} | {profile} | {a:.9f} | {b:.9f} | {abs(a - b):.1e} | {ta} / {tb} |")
    print(f"\nLargest |Sluice − NAB| over the {3 * len(NAB_DETECTORS)} scores: {worst:.1e}.\n")
    cv = first.get("cross_validation")
    if cv:
        print("Settings search (`--cross-validate`: window_rows 1600/3200/6400 × short_rows 1/2/4, and the threshold), "
              "leave one NAB group out: settings and threshold chosen on the other six groups, the held-out group "
              "scored, the seven held-out totals pooled and normalised over the corpus.\n")
        print("| profile | default settings (6400, 2), all files | best settings on all files | held-out groups (pooled) | choices per fold |")
        print("|---|---|---|---|---|")
        for profile in PROFILES:
            c = cv[profile]
            best = f"{c['all_files']['score']:.2f} ({c['all_files']['window_rows']}, {c['all_files']['short_rows']})"
            folds = ", ".join(f"{f['group']}: ({f['window_rows']}, {f['short_rows']})" for f in c["folds"])
            print(f"| {profile} | {first[profile]['score']:.2f} | {best} | {c['held_out']:.2f} | {folds} |")
        print()
    published = json.load(open(os.path.join(nab_dir, "results", "final_results.json")))
    print("Published (NAB's results/final_results.json, same scorer):\n")
    print("| detector | standard | reward low FP | reward low FN |")
    print("|---|---|---|---|")
    for name, scores in sorted(published.items(), key=lambda item: -item[1]["standard"]):
        print(f"| {name} | {scores['standard']:.2f} | {scores['reward_low_FP_rate']:.2f} | {scores['reward_low_FN_rate']:.2f} |")
    print()


def cost(sluice, nab_dir):
    print("## Streaming cost (one channel, etth1-96 S4D, 128 complex modes, lookback 336)\n")
    print("| forecast values per row | history (rows) | µs/row | rows/s | RSS MB |")
    print("|---|---|---|---|---|")
    for steps in (1, 96):
        for line in run(sluice, "series", "cost", "--steps", str(steps)).splitlines():
            s = json.loads(line)
            print(f"| {steps} | {s['history']:,} | {s['us_per_row']:.2f} | {s['rows_per_s']:,.0f} | {s['rss_mb']:.1f} |")
    path = "/tmp/sluice-series-1m.csv"
    with open(path, "w") as handle:
        handle.write("timestamp,value\n")
        for i in range(1_000_000):
            handle.write(f"{i},{(i % 24) / 24:.4f}\n")
    repo = os.path.dirname(os.path.dirname(HERE))
    started = time.time()
    with open(path) as stdin:
        subprocess.run([sluice, "run", os.path.join(repo, "Pipelines/anomaly.yaml")], stdin=stdin, stdout=subprocess.DEVNULL, check=True)
    seconds = time.time() - started
    os.remove(path)
    print(f"\nEnd to end, `sluice run Pipelines/anomaly.yaml` on 1,000,000 CSV rows from stdin: {seconds:.2f} s, "
          f"{1e6 / seconds:,.0f} rows/s (parse, forecast, score, format).\n")


def main():
    sluice, ett_dir, nab_dir = sys.argv[1:4]
    parts = sys.argv[4].split(",") if len(sys.argv) > 4 else ["ett", "nab", "cost"]
    if "ett" in parts:
        ett(sluice, ett_dir)
    if "nab" in parts:
        nab(sluice, nab_dir)
    if "cost" in parts:
        cost(sluice, nab_dir)


if __name__ == "__main__":
    main()
