"""The seed documents the claims come from, cited as the public documents they are.

The project began from five Chinese-language notes on GANs and the divergences behind them (the
"seeds"). Claims cite them by key (``seed 001``); this module says what each one is and where it
was published, so that the catalogue (``docs/claims.md``) stands alone.
"""

from __future__ import annotations

#: Each seed note: title, author or publisher, and where it was published.
SEEDS = {
    "000": (
        '史丹青, 《生成对抗网络入门指南》 (智能系统与技术丛书), §3.2 "GAN的数学原理" '
        "(the mathematics of GANs), excerpt posted by 华章计算机 on the Huawei Cloud community, "
        "2019-05-29"
    ),
    "001": (
        "notes on Hung-yi Lee's GAN lecture, https://zhuanlan.zhihu.com/p/27295635, reposted at "
        "https://www.cnblogs.com/kk17/p/10046884.html"
    ),
    "002": (
        '"生成模型笔记预备知识笔记——概率分布变换" (notes on transforming probability '
        'distributions; CSDN blog, after PaperWeekly no. 41, "互怼的艺术：从零直达 WGAN-GP")'
    ),
    "003": (
        '"GANs入门系列二" (an introduction to GANs, part 2; CSDN blog notes on Hung-yi Lee\'s GAN '
        "lecture videos)"
    ),
    "004": (
        'blog notes on Goodfellow et al., "Generative Adversarial Nets" (NeurIPS 2014), last '
        "revised 2023-01-25"
    ),
}


def seed(key: str, where: str = "") -> str:
    """A locator citing seed ``key`` as its public document, with ``where`` inside it."""
    text = f"seed {key}: {SEEDS[key]}"
    return f"{text}; {where}" if where else text


def sources_section() -> list[str]:
    """Markdown lines listing the seeds, for the catalogue page."""
    lines = ["## The seed notes", ""]
    lines += [f"- **seed {key}**: {text}." for key, text in SEEDS.items()]
    return [*lines, ""]
