"""Cross-check spor's agreement coefficients against independent
implementations: Krippendorff's alpha from the PyPI package `krippendorff`,
Cohen's kappa computed here with numpy from its definition.

Reads JSON on stdin: {"alpha": [matrix, ...], "kappa": [[a, b], ...]} where a
matrix is coders x units with null for missing values. Prints JSON:
{"alpha": [...], "kappa": [...]} (null where undefined)."""
import json
import sys

import krippendorff
import numpy as np


def kappa(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    cats = np.union1d(a, b)
    po = np.mean(a == b)
    pe = sum(np.mean(a == c) * np.mean(b == c) for c in cats)
    if pe == 1:
        return None
    return float((po - pe) / (1 - pe))


def alpha(matrix):
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    try:
        value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except (ValueError, ZeroDivisionError):
        return None
    return None if np.isnan(value) else float(value)


req = json.load(sys.stdin)
print(json.dumps({
    "alpha": [alpha(m) for m in req["alpha"]],
    "kappa": [kappa(a, b) for a, b in req["kappa"]],
}))
