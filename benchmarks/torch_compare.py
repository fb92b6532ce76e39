"""Benchmark section 4: gnlib against PyTorch CPU, interleaved in one process.

Skipped with a message when PyTorch is not installed (it is never a course
requirement; `pip install torch==2.13.0` puts the CPU build in the venv).
"""

from __future__ import annotations

import numpy as np
from timing import interleaved, median_time


def memory_floor(torch, arrays, tensors, restore_arrays, restore_tensors, repeats: int) -> float:
    """A lower bound for any in-place clip here: the fastest pass that reads every entry
    plus the fastest pass that scales every entry, each the better of numpy and PyTorch.

    Clipping must read all entries (the norm), then read and write all of them
    (the scaling); no implementation can beat the two passes it is made of.
    When this floor is already above 0.6x of torch's whole clip, that target
    cannot be met on this machine by any code.
    """
    read = min(median_time(lambda: [np.vdot(a, a) for a in arrays], repeats, restore_arrays),
               median_time(lambda: torch._foreach_norm(tensors), repeats, restore_tensors))
    scale = min(median_time(lambda: [np.multiply(a, 0.5, out=a) for a in arrays], repeats, restore_arrays),
                median_time(lambda: torch._foreach_mul_(tensors, 0.5), repeats, restore_tensors))
    return read + scale


def _table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def clip_rows(torch, repeats: int) -> list[list[str]]:
    """clip_by_global_norm against clip_grad_norm_, both scaling every entry.

    PyTorch clips ``.grad`` in place, so the like-for-like call is gnlib's
    ``out=grads``; the default (new arrays, inputs untouched) is shown as info.
    Before every timed call both sides get their original gradients back
    (untimed), so each call measures a norm above the threshold and scales.
    """
    from gnlib.clip import clip_by_global_norm

    rows = []
    rng = np.random.default_rng(0)
    for n_arrays, total in [(10, 10_000), (100, 1_000_000), (4, 10_000_000)]:
        for dtype in (np.float32, np.float64):
            originals = [rng.normal(size=total // n_arrays).astype(dtype) for _ in range(n_arrays)]
            grads = [g.copy() for g in originals]
            params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=getattr(torch, np.dtype(dtype).name)))
                      for g in grads]
            t_originals = [torch.from_numpy(g) for g in originals]
            for p, g in zip(params, t_originals):
                p.grad = g.clone()

            def restore_ours():
                for g, o in zip(grads, originals):
                    np.copyto(g, o)

            def restore_theirs():
                for p, o in zip(params, t_originals):
                    p.grad.copy_(o)

            label = f"{n_arrays} arrays, {total:.0e} params, {np.dtype(dtype).name}"
            ours, theirs = interleaved(lambda: clip_by_global_norm(grads, 1.0, out=grads),
                                        lambda: torch.nn.utils.clip_grad_norm_(params, 1.0),
                                        repeats * 5, restore_ours, restore_theirs)
            rows.append([f"clip_by_global_norm, in place (out=grads) ({label})",
                         f"{ours * 1e3:.3f}", f"{theirs * 1e3:.3f}", f"{ours / theirs:.2f}x", "0.6x",
                         "ok" if ours / theirs <= 0.6 else "MISS"])
            ours, theirs = interleaved(lambda: clip_by_global_norm(originals, 1.0),
                                        lambda: torch.nn.utils.clip_grad_norm_(params, 1.0),
                                        repeats * 5, None, restore_theirs)
            rows.append([f"clip_by_global_norm, new arrays (default) ({label})",
                         f"{ours * 1e3:.3f}", f"{theirs * 1e3:.3f}", f"{ours / theirs:.2f}x", "-", "info"])
            if total >= 1_000_000:  # where the clip's time is memory traffic
                torch_clip = median_time(lambda: torch.nn.utils.clip_grad_norm_(params, 1.0),
                                         repeats * 5, restore_theirs)
                floor = memory_floor(torch, grads, [p.grad for p in params], restore_ours, restore_theirs,
                                     repeats * 5)
                rows.append([f"memory floor: fastest read pass + fastest scaling pass, numpy or torch ({label})",
                             f"{floor * 1e3:.3f}", f"{torch_clip * 1e3:.3f}", f"{floor / torch_clip:.2f}x", "-",
                             "info"])
    return rows


def critic_rows(torch, repeats: int, lesson_width: int = 32) -> list[list[str]]:
    from gnlib.adam import Adam
    from gnlib.models.gan import critic_loss_and_grads
    from gnlib.models.mlp import init_mlp
    from gnlib.models.toy_data import sample_toy

    rows = []
    for width in (lesson_width, 64, 128, 512):
        rng = np.random.default_rng(0)
        critic = init_mlp([2, width, width, width, 1], rng)
        opt = Adam(critic.params, 1e-4, (0.5, 0.9))
        real = sample_toy("8gaussians", 256, rng)
        fake = rng.normal(size=(256, 2))
        eps = rng.uniform(size=256)

        def gnlib_step():
            _, grads, _ = critic_loss_and_grads(critic, real, fake, eps, 10.0)
            opt.step(grads)

        layers = []
        sizes = [2, width, width, width, 1]
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=torch.float64))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        net = torch.nn.Sequential(*layers)
        t_opt = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.5, 0.9))
        t_real, t_fake = torch.from_numpy(real), torch.from_numpy(fake)
        t_eps = torch.from_numpy(eps).reshape(-1, 1)

        def torch_step():
            t_opt.zero_grad()
            x_hat = (t_eps * t_real + (1 - t_eps) * t_fake).requires_grad_(True)
            out = net(x_hat)
            (g,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
            penalty = ((g.norm(dim=1) - 1) ** 2).mean()
            loss = net(t_fake).mean() - net(t_real).mean() + 10.0 * penalty
            loss.backward()
            t_opt.step()

        ours, theirs = interleaved(gnlib_step, torch_step, repeats * 5)
        target = "1.0x" if width == lesson_width else "-"
        verdict = ("ok" if ours / theirs <= 1.0 else "MISS") if width == lesson_width else "info"
        rows.append([f"WGAN-GP critic step, width {width}, batch 256, float64{' (lesson)' if width == lesson_width else ''}",
                     f"{ours * 1e3:.3f}", f"{theirs * 1e3:.3f}", f"{ours / theirs:.2f}x", target, verdict])
    return rows


def torch_section(repeats: int) -> str:
    try:
        import torch
    except ImportError:
        return "PyTorch is not installed: section skipped (pip install torch==2.13.0 for the CPU build)."
    header = (f"PyTorch {torch.__version__} with its default {torch.get_num_threads()} threads. "
              "Times in ms, medians of interleaved runs.\n\n")
    rows = clip_rows(torch, repeats) + critic_rows(torch, repeats)
    return header + _table(["operation", "gnlib ms", "torch ms", "gnlib/torch", "target", "verdict"], rows)
