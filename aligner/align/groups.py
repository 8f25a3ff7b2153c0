"""One group per fact across N articles: links that share a sentence are one fact.

Public surface: :func:`group_links`.

With three articles, one fact reported by all three gives three pairwise
links; joined through their shared sentences (connected components, union-find)
they become one group, shown as one row.
"""

from __future__ import annotations

from aligner.model import Group, Link, Member


def group_links(links: tuple[Link, ...] | list[Link]) -> tuple[Group, ...]:
    """Connected components of the sentences joined by ``links``, in the order of their first link."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        nodes = [(m.article, s) for m in link.members for s in m.sentences]
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
    by_root: dict[tuple[int, int], list[int]] = {}
    for n, link in enumerate(links):
        m = link.members[0]
        by_root.setdefault(find((m.article, m.sentences[0])), []).append(n)
    groups = []
    for indices in by_root.values():
        sentences: dict[int, set[int]] = {}
        for n in indices:
            for m in links[n].members:
                sentences.setdefault(m.article, set()).update(m.sentences)
        members = tuple(Member(a, tuple(sorted(s))) for a, s in sorted(sentences.items()))
        groups.append(Group(members=members, links=tuple(indices)))
    return tuple(groups)
