"""The digest's bar chart: signals per card group, month over month, as a PNG (matplotlib, Agg).

Sized for Slack's preview (1200 x 675 px, 16:9) with large type, so labels stay readable when Slack
shows it scaled down in the thread. The PNG carries no metadata beyond what PNG itself needs: the
Software/Creation keys matplotlib would write are switched off, and the chart only holds card group
names and counts that the digest already shows.
"""

from __future__ import annotations

import io

from bot.core.digest import OTHER, Digest, chart_months, short_month_label

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 6.75, 100
# None removes a key matplotlib would otherwise fill in ("Software: Matplotlib version…").
NO_METADATA: dict[str, str | None] = {"Software": None}
COLOURS = ("#1b6ca8", "#e07b39", "#3c9d5d", "#b8405e", "#7b5ea7", "#8c6d31", "#2aa1a1", "#d4a017", "#5b5b5b")


def render_chart(digest: Digest) -> bytes:
    """The PNG bytes of the chart for a digest (its own month and the months before it)."""
    # Imported here, not at the top: matplotlib and numpy cost about 0.35 s and tens of MiB at start-up,
    # and only a monthly digest with casussen needs them.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    months, series = chart_months(digest)
    # A Figure on its own Agg canvas, not pyplot: no global state, safe from a worker thread.
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    count = max(len(series), 1)
    width = 0.8 / count
    positions = range(len(months))
    for number, (label, values) in enumerate(series.items()):
        offset = (number - (count - 1) / 2) * width
        colour = "#9a9a9a" if label == OTHER else COLOURS[number % len(COLOURS)]
        bars = axes.bar([p + offset for p in positions], values, width=width, label=label, color=colour)
        axes.bar_label(bars, labels=[str(v) if v else "" for v in values], fontsize=15, padding=2)
    ticks = [f"{short_month_label(c.month)}\n({c.casussen})" for c in digest.history]
    axes.set_xticks(list(positions), ticks, fontsize=17)
    axes.tick_params(axis="y", labelsize=15)
    axes.set_ylabel("casussen met zo'n signaal", fontsize=17)
    axes.set_xlabel("maand (tussen haakjes: casussen in die maand)", fontsize=15)
    axes.set_title("Signalen per groep op de Signalenkaart, per maand", fontsize=21, pad=14)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(fontsize=16, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3)
    else:
        axes.text(
            0.5, 0.5, "Geen casussen in deze maanden", ha="center", va="center", fontsize=18, transform=axes.transAxes
        )
        axes.set_yticks([])
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata=NO_METADATA)
    return buffer.getvalue()
