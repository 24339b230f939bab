"""Adoption models for Laiwang vs WeChat: Bass diffusion, platform competition and network cascades.

The public API is flat; implementation lives in private modules:

* :mod:`._bass` -- Bass and generalized Bass models, bootstrap fit (:func:`fit_bass`);
* :mod:`._competition` -- two platforms with network effects (logit choice, tipping);
* :mod:`._graphs` -- sparse random graphs: small worlds and block models of organisations;
* :mod:`._cascade` -- threshold cascades on those graphs, scattered and clustered seeding;
* :mod:`.parameters` -- the scenarios' parameters, each with its source (article, external, assumed);
* :mod:`.scenarios` -- one scenario per strategy id, its verdict and its sensitivity;
* :mod:`.wechat` -- WeChat's MAU series, its Bass fit and the forecast;
* :mod:`.runs` -- the push phase diagram and the cascade comparison;
* :mod:`.explore` -- the grids behind the adoption chapter's explorables (push, seeding);
* :mod:`.stage` -- the ``adopt`` pipeline stage (``python -m analysis adopt``).

The chapter's figures are drawn by :mod:`analysis.report.adoption_plots`.
"""

from analysis.adoption._bass import (
    BassFit,
    bass_cumulative,
    bass_rate,
    fit_bass,
    gbm_cumulative,
    pulse_effort,
)
from analysis.adoption._cascade import (
    CascadeResult,
    clustered_seeds,
    retained_seeds,
    scattered_seeds,
    threshold_cascade,
)
from analysis.adoption._competition import (
    CompetitionParams,
    classify_share,
    competition_grid,
    equilibria,
    simulate_shares,
)
from analysis.adoption._graphs import block_model, edges_to_csr, watts_strogatz
from analysis.adoption.explore import mixed_seeds, push_explorer, seeding_explorer
from analysis.adoption.parameters import lookup_number
from analysis.adoption.scenarios import build_scenarios, sensitivity

__all__ = [
    "BassFit",
    "CascadeResult",
    "CompetitionParams",
    "bass_cumulative",
    "bass_rate",
    "block_model",
    "build_scenarios",
    "classify_share",
    "clustered_seeds",
    "competition_grid",
    "edges_to_csr",
    "equilibria",
    "fit_bass",
    "gbm_cumulative",
    "lookup_number",
    "mixed_seeds",
    "pulse_effort",
    "push_explorer",
    "retained_seeds",
    "scattered_seeds",
    "seeding_explorer",
    "sensitivity",
    "simulate_shares",
    "threshold_cascade",
    "watts_strogatz",
]
