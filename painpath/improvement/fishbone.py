"""The fishbone (Ishikawa) diagram of a project: its causes on bones along a spine that
points at the theme, with each cause's ideas listed under it.

Hand-built SVG rather than Altair: a fishbone is lines and text placed by rule, which
Vega-Lite has no mark for. It is drawn on the server, needs no script, and carries a
<title> and <desc>; the page lists the same causes and ideas beside it as text, so long
texts are shortened in the drawing only.

When causes have fishbone categories (the six Ms), each category is a bone with its causes
and their ideas; when none has, each cause is its own bone with its ideas.
"""

import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from painpath.improvement.forms_projects import CATEGORIES
from painpath.improvement.models import Project

CATEGORY_LABELS = dict(CATEGORIES)
BONE_WIDTH = 240  # one column of bones
LINE = 16  # px between lines of text
PAD = 16
HEAD_WIDTH = 190
HEADING_CHARS = 30  # a bone's heading wraps at this
ITEM_CHARS = 34  # an item is shortened to one line of this
FONT = "DejaVu Sans, Verdana, sans-serif"


@dataclass
class Bone:
    heading: str
    items: list[tuple[str, bool]] = field(default_factory=list)  # (text, is an idea)

    def lines(self) -> list[tuple[str, str]]:
        """(text, kind) to draw: kind is heading, cause or idea."""
        heading = textwrap.wrap(self.heading, HEADING_CHARS)[:2] or [""]
        if len(textwrap.wrap(self.heading, HEADING_CHARS)) > 2:
            heading[-1] = _shorten(heading[-1] + " …", HEADING_CHARS)
        drawn = [(line, "heading") for line in heading]
        for text, is_idea in self.items:
            indent = "  " if is_idea else ""
            drawn.append((indent + _shorten(text, ITEM_CHARS - len(indent)), _kind(is_idea)))
        return drawn


def _kind(is_idea: bool) -> str:
    return "idea" if is_idea else "cause"


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def bones(project: Project) -> list[Bone]:
    causes = list(project.causes.prefetch_related("ideas"))
    if not any(cause.category for cause in causes):
        return [
            Bone(
                f"{cause.number}. {cause.text}",
                [(f"{cause.number}.{idea.number} {idea.text}", True) for idea in cause.ideas.all()],
            )
            for cause in causes
        ]
    by_category: dict[str, Bone] = {}
    for cause in causes:
        heading = cause.category or _("Övrigt")
        bone = by_category.setdefault(heading, Bone(str(CATEGORY_LABELS.get(heading, heading))))
        bone.items.append((f"{cause.number}. {cause.text}", False))
        for idea in cause.ideas.all():
            bone.items.append((f"{cause.number}.{idea.number} {idea.text}", True))
    return list(by_category.values())


def fishbone_svg(project: Project) -> SafeString | None:
    """The diagram, or None when the project has no causes yet."""
    drawn = bones(project)
    if not drawn:
        return None
    top, bottom = drawn[0::2], drawn[1::2]
    top_height = max(len(b.lines()) for b in top) * LINE
    bottom_height = max((len(b.lines()) for b in bottom), default=0) * LINE
    spine = PAD + top_height + 48
    columns = len(top)
    head_x = PAD + columns * BONE_WIDTH + 12
    width = head_x + HEAD_WIDTH + PAD
    height = spine + 48 + bottom_height + PAD
    theme_lines = textwrap.wrap(project.theme, 22)[:3] or [""]
    title = _("Fiskbensdiagram: orsaker och idéer för %(theme)s") % {"theme": project.theme}
    desc = _(
        "%(causes)s orsaker på %(bones)s ben mot temat. Samma orsaker och idéer står som "
        "lista bredvid diagrammet."
    ) % {"causes": project.causes.count(), "bones": len(drawn)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fishbone-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="fishbone-title fishbone-desc" font-family="{FONT}" font-size="12">',
        f'<title id="fishbone-title">{escape(title)}</title>',
        f'<desc id="fishbone-desc">{escape(desc)}</desc>',
        f'<line x1="{PAD}" y1="{spine}" x2="{head_x}" y2="{spine}" stroke="#1d2733" '
        'stroke-width="3"/>',
        f'<rect x="{head_x}" y="{spine - 36}" width="{HEAD_WIDTH}" height="72" rx="6" '
        'fill="#e8f0fa" stroke="#0b5cad" stroke-width="2"/>',
    ]
    first = spine - (len(theme_lines) - 1) * LINE / 2 + 4
    for i, line in enumerate(theme_lines):
        parts.append(
            f'<text x="{head_x + HEAD_WIDTH / 2}" y="{first + i * LINE}" text-anchor="middle" '
            f'font-weight="bold" font-size="13">{escape(line)}</text>'
        )
    for column, bone in enumerate(top):
        parts += _bone(bone, PAD + column * BONE_WIDTH, spine, above=True, room=top_height)
    for column, bone in enumerate(bottom):
        parts += _bone(bone, PAD + column * BONE_WIDTH, spine, above=False, room=bottom_height)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _bone(bone: Bone, x: int, spine: int, *, above: bool, room: int) -> list[str]:
    lines = bone.lines()
    if above:  # text from the top of the room, the bone from under it to the spine
        start = PAD + LINE
        bone_from = PAD + room + 8
    else:
        start = spine + 48 + LINE
        bone_from = spine + 40
    parts = [
        f'<line x1="{x + 8}" y1="{bone_from}" x2="{x + 56}" y2="{spine}" stroke="#0b5cad" '
        'stroke-width="2"/>'
    ]
    for i, (text, kind) in enumerate(lines):
        weight = ' font-weight="bold"' if kind == "heading" else ""
        fill = "#4a5563" if kind == "idea" else "#1d2733"
        parts.append(
            f'<text x="{x + 8}" y="{start + i * LINE}" fill="{fill}"{weight} '
            f'xml:space="preserve">{escape(text)}</text>'
        )
    return parts
