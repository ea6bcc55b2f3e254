"""The in-process intent classifier, trained from the Rasa NLU file; needs no Rasa server."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from bot.nlu.readable import strip_marks
from bot.nlu.safety_net import normalize
from bot.nlu.training_data import load_examples
from bot.nlu.understanding import FALLBACK_INTENT, Classification

log = logging.getLogger(__name__)

# Below this top probability the answer is "not sure" (shown as did-you-mean buttons).
FALLBACK_THRESHOLD = 0.20
# Alternatives kept in the ranking; enough for buttons and for the risk rules' runner-up check.
RANKING_SIZE = 5
# Inverse regularisation; chosen on the held-out file (`aftercare nlu eval`).
REGULARISATION_C = 20.0
# Bumped whenever the features or model change, so stale cached artefacts are ignored.
ARTEFACT_VERSION = 3
# A word is two or more letters or digits: a lone "i" or "u" is not a word to learn from (a lone
# "i" once read as crisis 0.85). Apostrophes are dropped first, so "can't" and "cant" agree.
WORD = r"(?u)\b\w\w+\b"
_STRETCHED = re.compile(r"(\w)\1{2,}")


_SINGLE = re.compile(r"(?<!\w)\w(?!\w)")


def classifier_text(text: str) -> str:
    """The form the classifier sees: normalized, no combining marks or apostrophes, stretched
    letters cut to two, lone letters and digits dropped ("İ" -> "", "sooooo" -> "soo", "can't"
    -> "cant")."""
    text = _STRETCHED.sub(r"\1\1", strip_marks(normalize(text)).replace("'", ""))
    return " ".join(_SINGLE.sub(" ", text).split())


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes: the key of the cached model."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class EmbeddedClassifier:
    """A trained TF-IDF + logistic regression model and the hash of the data it learnt from."""

    pipeline: Pipeline
    data_hash: str

    @classmethod
    def train(cls, examples: list[tuple[str, str]], data_hash: str = "") -> EmbeddedClassifier:
        """Fits a fresh model on (text, intent) pairs."""
        texts = [classifier_text(text) for text, _ in examples]
        intents = [intent for _, intent in examples]
        pipeline = build_pipeline()
        # One thread: on a busy 2-core host, BLAS threads fighting each other made fits 10x slower.
        with threadpool_limits(limits=1):
            pipeline.fit(texts, intents)
        return cls(pipeline=pipeline, data_hash=data_hash)

    @property
    def intents(self) -> tuple[str, ...]:
        """Every intent the model can answer with."""
        return tuple(str(label) for label in self.pipeline.classes_)

    def classify(self, text: str) -> Classification:
        """Best intent with its probability, and the top alternatives."""
        probabilities = self.probabilities(text)
        ranked = sorted(zip(self.intents, probabilities, strict=True), key=lambda p: -p[1])
        ranking = tuple((intent, float(score)) for intent, score in ranked[:RANKING_SIZE])
        intent, confidence = ranking[0]
        if confidence < FALLBACK_THRESHOLD:
            intent = FALLBACK_INTENT
        return Classification(intent=intent, confidence=confidence, ranking=ranking)

    def probabilities(self, text: str) -> np.ndarray:
        """Class probabilities, as `pipeline.predict_proba`, from the fitted vocabularies and
        weights directly: scikit-learn's per-call checks and sparse matrices for one short message
        cost more than the arithmetic."""
        model = self.pipeline.named_steps["model"]
        columns, values = _features(self._blocks, classifier_text(text))
        scores = model.coef_[:, columns] @ values + model.intercept_
        if scores.size == 1:  # two intents: scikit-learn keeps one logistic score
            scores = np.array([0.0, scores[0]])
        exp = np.exp(scores - scores.max())
        return np.asarray(exp / exp.sum())

    @functools.cached_property
    def _blocks(self) -> tuple[_Block, ...]:
        blocks, offset = [], 0
        for _, vec in self.pipeline.named_steps["features"].transformer_list:
            blocks.append(_Block(vec.build_analyzer(), vec.vocabulary_, vec.idf_, offset))
            offset += len(vec.vocabulary_)
        return tuple(blocks)


@dataclass(frozen=True)
class _Block:
    """One fitted TF-IDF vectorizer (sublinear tf, l2 norm) placed at `offset` in the features."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int


def _features(blocks: tuple[_Block, ...], text: str) -> tuple[np.ndarray, np.ndarray]:
    """The message's non-zero feature columns and values, as the fitted vectorizers make them."""
    columns: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for block in blocks:
        known = block.vocabulary.get
        counts = Counter(col for term in block.analyze(text) if (col := known(term)) is not None)
        if not counts:
            continue
        found = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0
        weights: np.ndarray = tf * block.idf[found]
        columns.append(found + block.offset)
        values.append(weights / np.sqrt(np.dot(weights, weights)))
    if not columns:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    return np.concatenate(columns), np.concatenate(values)


def build_pipeline() -> Pipeline:
    """Word 1-2 grams for meaning plus character 2-5 grams for typos and slang."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORD)),
            # From two characters: single letters are in every message and mean nothing alone.
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
        ]
    )
    model = LogisticRegression(C=REGULARISATION_C, max_iter=2000, class_weight="balanced")
    return Pipeline([("features", features), ("model", model)])


def load_or_train(training_file: Path, cache_dir: Path | None = None) -> EmbeddedClassifier:
    """The model for this training file: from the cache when its sha256 matches, else trained.

    Raises TrainingDataError when the file is missing or unreadable.
    """
    data_hash = file_sha256(training_file) if Path(training_file).is_file() else ""
    examples = load_examples(training_file)
    cached = _read_cache(cache_dir, data_hash) if cache_dir and data_hash else None
    if cached is not None:
        return cached
    classifier = EmbeddedClassifier.train(examples, data_hash)
    if cache_dir is not None:
        save_cache(cache_dir, classifier)
    return classifier


def cache_path(cache_dir: Path, data_hash: str) -> Path:
    """Where the artefact for this data hash lives."""
    return cache_dir / f"embedded-{_recipe_hash()}-{data_hash[:16]}.pkl"


def _recipe_hash() -> str:
    """Changes whenever the features or model settings change, so stale artefacts are skipped."""
    recipe = f"{ARTEFACT_VERSION}:{build_pipeline().get_params()!r}:{sklearn.__version__}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:8]


def _read_cache(cache_dir: Path, data_hash: str) -> EmbeddedClassifier | None:
    path = cache_path(cache_dir, data_hash)
    try:
        with path.open("rb") as handle:
            artefact = pickle.load(handle)  # our own file, written by save_cache
    except FileNotFoundError:
        return None
    except Exception as exc:  # a torn or foreign file is retrained, not trusted
        log.warning("ignoring unreadable NLU model cache %s: %s", path, exc)
        return None
    if (
        not isinstance(artefact, dict)
        or artefact.get("sklearn") != sklearn.__version__
        or artefact.get("data_hash") != data_hash
        or not isinstance(artefact.get("pipeline"), Pipeline)
    ):
        return None
    return EmbeddedClassifier(pipeline=artefact["pipeline"], data_hash=data_hash)


def save_cache(cache_dir: Path, classifier: EmbeddedClassifier) -> Path | None:
    """Stores the model for the next start; returns its path, or None if it could not."""
    artefact = {
        "sklearn": sklearn.__version__,
        "data_hash": classifier.data_hash,
        "pipeline": classifier.pipeline,
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Write beside the target then rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    except OSError as exc:  # a read-only data dir costs a retrain next start, nothing more
        log.warning("could not cache the NLU model in %s: %s", cache_dir, exc)
        return None
    target = cache_path(cache_dir, classifier.data_hash)
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(artefact, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
        for stale in cache_dir.glob("embedded-*.pkl"):  # older data or recipes are never read
            if stale != target:
                stale.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not cache the NLU model in %s: %s", cache_dir, exc)
        Path(temporary).unlink(missing_ok=True)
        return None
    return target
