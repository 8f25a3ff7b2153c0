"""Weights that make the tiny test models of tests/ct2_fixtures.py a substitution cipher by
construction: the model copies its source one token at a time and writes each plain token as the
next plain token of the vocabulary (``cipher``), so different sources give different outputs
whatever the library versions, and a copied glossary placeholder does not survive (its pieces
are enciphered too).  Special tokens (``</s>``, language tokens, ...) map to themselves, so a
source that ends with ``</s>`` gives an output of the same length.

Random weights made the output depend on the source by luck of the draw: a new transformers or
torch release drew other weights and two of four sources gave the same output.  Here every
weight is set:

* BART-like models (Marian, M2M100, NLLB): the decoder at position ``t`` attends to the encoder
  at position ``t`` by reading the sinusoidal position encodings (``bart_copy``); the
  embeddings hold two codes per token, ``A`` (what attention copies) and ``B`` (what the tied
  output projection reads), with ``B[cipher(s)] = A[s]``.
* T5: no absolute positions; the encoder's relative position bias puts each token's
  predecessor next to it and the decoder looks up the position whose predecessor is the token
  it just wrote (an induction head, ``t5_copy``).  The copy is exact as long as the piece
  before is unique in the source; after a repeated piece attention splits between its
  successors and the copy may jump.

The token codes come from numpy's PCG64 generator (stable across numpy releases by policy);
building raises ``ValueError`` when the codes or the position scores are too close to tell
apart, so a change upstream fails the fixture build, not a test far away.  CTranslate2's int8
mode (aligner's default) quantises every activation row to 8 bits, so no signal here is
smaller than about 1/100 of the largest value in its row.
"""

from __future__ import annotations

import math
import re

SPECIAL = re.compile(r"<.*>|__\w+__|[a-z]{3}_[A-Z][a-z]{3}|madeupword\d+")
R = 30.0  # norm of a token's embedding: ~4x the position encodings' (sqrt(d_model / 2) = 8)


def plain(token: str) -> bool:
    """A text piece (not </s>, <unk>, <pad>, <2en>, __vi__, vie_Latn, madeupword0, <extra_9>)."""
    return not SPECIAL.fullmatch(token)


def cipher(vocab: list[str]) -> list[int]:
    """The id each id is written as: the next plain token (cyclically); specials stay."""
    normal = [i for i, t in enumerate(vocab) if plain(t)]
    out = list(range(len(vocab)))
    for k, i in enumerate(normal):
        out[i] = normal[(k + 1) % len(normal)]
    return out


def encipher(vocab: list[str], tokens: list[str]) -> list[str]:
    ids = {t: i for i, t in enumerate(vocab)}
    pi = cipher(vocab)
    return [vocab[pi[ids[t]]] for t in tokens]


def codes(n: int, dim: int, seed: int):
    """``n`` distinct unit vectors of zero mean in ``dim`` dimensions, and their largest cosine."""
    import numpy as np

    x = np.random.default_rng(seed).standard_normal((n, dim))
    x -= x.mean(axis=1, keepdims=True)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    cos = x @ x.T
    np.fill_diagonal(cos, -1.0)
    worst = float(cos.max())
    if worst > 0.9:
        raise ValueError(f"token codes too close (cosine {worst:.2f}): give the model a wider d_model")
    return x, worst


def _zero(model) -> None:
    import torch

    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed_positions" in name:  # Marian's sinusoids are a parameter: keep them
                continue
            p.fill_(1.0 if ("norm" in name and name.endswith("weight")) else 0.0)


def _positional_scores(P, H: list[int], zero: int):
    """What the cross-attention computes from the position encodings: P[H] - P[zero] (a dimension
    that is ~0 at every position checked, so the difference takes out LayerNorm's mean)."""
    F = P[:, H] - P[:, [zero]]
    return F @ F.T


def bart_copy(model, vocab: list[str], positions, seed: int = 0, freqs: int = 8, check: int = 256) -> None:
    """Set a Marian/M2M100 model's weights so that decoder position t writes cipher(source[t]).

    ``positions`` is the position-encoding matrix CTranslate2 will use (row = position): sines
    in the first half, cosines in the second, fastest frequency first.  Every sublayer but the
    cross-attention of the first decoder layer adds nothing (zero output projection).  The
    cross-attention's queries and keys are the sine/cosine pairs of the ``freqs`` fastest
    frequencies minus the sine of the slowest (~0, it takes out LayerNorm's mean), so their dot
    product is about ``sum_f cos(w_f (t - j))``, largest at j = t.  Its values are the token
    code ``A``, kept in the slowest frequencies' dimensions (where positions barely move), and
    its output, amplified, lands in the ``B`` dimensions that the tied output projection reads.
    """
    import numpy as np
    import torch

    cfg = model.config
    D, heads = cfg.d_model, cfg.decoder_attention_heads
    hd, half = D // heads, D // 2
    P = np.asarray(positions[:check], dtype=np.float64)
    H = [*range(freqs), *range(half, half + freqs)]  # sin and cos of the fastest frequencies
    zero = half - 1  # sin of the slowest frequency
    if abs(P[:, zero]).max() > 0.05 or abs(P[:, D - 1] - 1).max() > 0.01 or 2 * freqs > hd:
        raise ValueError("position encodings not as expected (sin half, cos half)")
    S = _positional_scores(P, H, zero)
    diag = np.diag(S).copy()
    np.fill_diagonal(S, -np.inf)
    margin = float((diag - S.max(axis=1)).min())
    if margin < 0.5:
        raise ValueError(f"positions up to {check} are not told apart (margin {margin:.3f})")
    k = min(hd, 40, 2 * (half - 1 - freqs)) // 2 * 2  # code width, even: half sines, half cosines
    slow = list(range(half - 1 - k // 2, half - 1)) + list(range(D - 1 - k // 2, D - 1))
    A = slow  # the slowest frequencies but the last: positions barely move them
    B = [d for d in range(D) if d not in H and d not in A and d != zero][:k]
    a, worst = codes(len(vocab), k, seed)
    emb = np.zeros((len(vocab), D))
    emb[:, A] = a * R / math.sqrt(2)
    for source, written in enumerate(cipher(vocab)):
        emb[written, B] = a[source] * R / math.sqrt(2)
    sigma = math.sqrt((R**2 + D / 2) / D)  # about what the LayerNorms divide by
    g = math.sqrt(40 * sigma**2 * math.sqrt(hd) / margin)  # 40 nats between t and the next best
    gain = 1000.0  # the copied code outweighs everything else in the residual stream
    scale = getattr(model.model.encoder.embed_tokens, "embed_scale", None)
    scale = float(scale) if scale is not None else (math.sqrt(D) if cfg.scale_embedding else 1.0)

    _zero(model)
    t = lambda x: torch.as_tensor(x, dtype=torch.float32)  # noqa: E731
    with torch.no_grad():
        model.model.shared.weight.copy_(t(emb / scale))
        if model.lm_head.weight.data_ptr() != model.model.shared.weight.data_ptr():
            model.lm_head.weight.copy_(t(emb / scale))
        att = model.model.decoder.layers[0].encoder_attn
        for proj in (att.q_proj, att.k_proj):
            for row, d in enumerate(H):
                proj.weight[row, d] = g
                proj.weight[row, zero] = -g
        for row, d in enumerate(A):
            att.v_proj.weight[row, d] = 1.0
        for col, d in enumerate(B):
            att.out_proj.weight[d, col] = gain


def t5_copy(model, vocab: list[str], start: str, first: str, seed: int = 0) -> None:
    """Set a T5 model's weights so that it writes cipher(source[1:]) (after ``first``, ``<2en>``).

    Embeddings (tied to the output projection, as transformers 5 always ties T5's) hold two codes
    per token: ``A`` (what the encoder passes on) and ``Q`` (``Q[cipher(s)] = A[s]``; the start
    token ``start`` has ``first``'s code).  Encoder: head 0 of the self-attention attends to the
    previous position only (relative position bias) and writes that token's ``A`` into the
    ``C`` dimensions.  Decoder: the cross-attention's query is the ``Q`` of the token just
    written, its keys the ``C`` dimensions, so it finds the position that follows the source
    token last copied; it adds that position's ``A``, greatly amplified, to the ``Q``
    dimensions, so the output projection picks the token whose ``Q`` it is: its cipher.
    """
    import numpy as np
    import torch
    from transformers.models.t5.modeling_t5 import T5Attention

    cfg = model.config
    D, dkv = cfg.d_model, cfg.d_kv
    k = min(dkv, D // 3)
    A, Q, C = range(0, k), range(k, 2 * k), range(2 * k, 3 * k)
    a, worst = codes(len(vocab), k, seed)
    ids = {tok: i for i, tok in enumerate(vocab)}
    emb = np.zeros((len(vocab), D))
    emb[:, list(A)] = a * R
    for source, written in enumerate(cipher(vocab)):
        emb[written, list(Q)] = a[source] * R
    emb[ids[start], list(Q)] = a[ids[first]] * R
    # RMSNorm scales: decoder input [A, Q] has norm R*sqrt(2); encoder output [A, Q, C] R*sqrt(3)
    score = D / math.sqrt(6)  # query . key for identical codes, before the gain
    g = math.sqrt(40 / (score * (1 - worst)))
    gain = 1000 * R / math.sqrt(D / 3)  # the copied code outweighs the input token's own codes
    previous = int(
        T5Attention._relative_position_bucket(
            torch.tensor([-1]), bidirectional=True,
            num_buckets=cfg.relative_attention_num_buckets, max_distance=cfg.relative_attention_max_distance,
        )[0]
    )

    _zero(model)
    with torch.no_grad():
        model.shared.weight.copy_(torch.as_tensor(emb, dtype=torch.float32))
        if model.lm_head.weight.data_ptr() != model.shared.weight.data_ptr():
            model.lm_head.weight.copy_(torch.as_tensor(emb, dtype=torch.float32))
        sa = model.encoder.block[0].layer[0].SelfAttention
        sa.relative_attention_bias.weight[previous, 0] = 30.0
        for row, d in enumerate(A):
            sa.v.weight[row, d] = 1.0
        for col, d in enumerate(C):
            sa.o.weight[d, col] = R * math.sqrt(2) / math.sqrt(D)  # C gets norm R, like A and Q
        ca = model.decoder.block[0].layer[1].EncDecAttention
        for row, (q, c) in enumerate(zip(Q, C)):
            ca.q.weight[row, q] = g
            ca.k.weight[row, c] = g
        for row, d in enumerate(A):
            ca.v.weight[row, d] = 1.0
        for col, d in enumerate(Q):
            ca.o.weight[d, col] = gain
