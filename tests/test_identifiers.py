"""kg.identify: URL normalisation, identifiers from URLs and text, and kind guesses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF

from kg.identify.identifiers import (
    doi_identifiers,
    extract_identifiers,
    identify_url,
    parse_arxiv_id,
)
from kg.identify.kinds import KINDS, guess_kind, venue_kind
from kg.identify.urls import normalize_url
from kg.model.records import Identifiers

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"


# ---------------------------------------------------------------------------------------
# normalize_url
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://ArXiv.Org/abs/1702.08489", "https://arxiv.org/abs/1702.08489"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org:80/a", "https://example.org:80/a"),
        ("http://www.offconvex.org/", "http://www.offconvex.org/"),
        ("http://www.offconvex.org", "http://www.offconvex.org/"),
        ("http://offconvex.org/2021/03/25/beyondNTK/", "http://offconvex.org/2021/03/25/beyondNTK"),
        ("https://example.org/Path/Case/", "https://example.org/Path/Case"),
        ("https://example.org/a#section", "https://example.org/a"),
        ("https://example.org/a?b=1&c=2#frag", "https://example.org/a?b=1&c=2"),
        ("https://openreview.net/forum?id=G70Z8ds3", "https://openreview.net/forum?id=G70Z8ds3"),
        ("https://example.org/?q=1", "https://example.org/?q=1"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://user@Example.org:443/", "https://user@example.org/"),
        ("http://[::1]:80/x/", "http://[::1]/x"),
        ("doi:10.1000/XYZ", "doi:10.1000/XYZ"),
        ("http://example.org:bad/", "http://example.org:bad/"),  # left alone, never raises
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_url_is_idempotent_on_examples() -> None:
    for url in ("HTTP://A.example:80", "https://a.example/x/?q#f", "http://[::1]:8080/"):
        once = normalize_url(url)
        assert normalize_url(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_identifier_functions_never_raise(text: str) -> None:
    for prefix in ("", "https://", "https://github.com/", "https://doi.org/", "arxiv:"):
        candidate = prefix + text
        ids = identify_url(candidate)
        assert ids.url == normalize_url(candidate)
        assert guess_kind(candidate, ids, title=text, topics=[text], note=text) in KINDS
    found = extract_identifiers(text)
    assert found.doi is None or (found.doi.startswith("10.") and found.doi == found.doi.lower())
    assert found.arxiv is None or "v" not in found.arxiv.rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------
# identify_url
# ---------------------------------------------------------------------------------------

# One case a line, so the tables read as tables.
# fmt: off
URL_CASES: list[tuple[str, dict[str, object]]] = [
    # arXiv: every view, versions, old-style ids, other hosts, "arxiv:" text
    ("https://arxiv.org/abs/1702.08489", {"arxiv": "1702.08489"}),
    ("https://arxiv.org/abs/1702.08489v3", {"arxiv": "1702.08489"}),
    ("https://arxiv.org/pdf/2012.10931.pdf", {"arxiv": "2012.10931"}),
    ("https://arxiv.org/pdf/2012.10931v2.pdf", {"arxiv": "2012.10931"}),
    ("https://arxiv.org/pdf/2012.10931v2", {"arxiv": "2012.10931"}),
    ("https://arxiv.org/format/1805.10769", {"arxiv": "1805.10769"}),
    ("https://arxiv.org/html/2402.01234v1", {"arxiv": "2402.01234"}),
    ("http://export.arxiv.org/abs/1409.1234", {"arxiv": "1409.1234"}),
    ("https://www.arxiv.org/abs/2007.14285/", {"arxiv": "2007.14285"}),
    ("https://ar5iv.labs.arxiv.org/html/1706.03762", {"arxiv": "1706.03762"}),
    ("https://arxiv.org/abs/math/0211159", {"arxiv": "math/0211159"}),
    ("https://arxiv.org/abs/hep-th/9901001v2", {"arxiv": "hep-th/9901001"}),
    ("https://arxiv.org/pdf/cond-mat/0102536v1.pdf", {"arxiv": "cond-mat/0102536"}),
    ("https://arxiv.org/abs/math.GT/0309136", {"arxiv": "math/0309136"}),
    ("arXiv:1702.08489v2", {"arxiv": "1702.08489"}),
    ("arxiv:math/0211159", {"arxiv": "math/0211159"}),
    ("https://arxiv.org/list/cs.LG/recent", {}),
    ("https://arxiv.org/abs/17020.8489", {}),
    ("https://notarxiv.org/abs/1702.08489", {}),
    # DOI: resolvers, prefix, publishers, suffixes, case, the arXiv DataCite DOI
    ("https://doi.org/10.1016/J.ACHA.2019.06.004", {"doi": "10.1016/j.acha.2019.06.004"}),
    ("http://dx.doi.org/10.1073/pnas.1907369117", {"doi": "10.1073/pnas.1907369117"}),
    ("doi:10.1090/noti2259", {"doi": "10.1090/noti2259"}),
    ("http://www.engineering.org.cn/ch/10.1016/j.eng.2019.09.010", {"doi": "10.1016/j.eng.2019.09.010"}),
    ("https://link.springer.com/article/10.1007/s10994-019-05839-6", {"doi": "10.1007/s10994-019-05839-6"}),
    ("https://link.springer.com/content/pdf/10.1007/s10994-019-05839-6.pdf", {"doi": "10.1007/s10994-019-05839-6"}),
    # Springer book DOIs are the eISBN: both are read.
    ("https://link.springer.com/book/10.1007/978-3-030-36721-3", {"doi": "10.1007/978-3-030-36721-3", "isbn": "9783030367213"}),
    ("https://dl.acm.org/doi/10.1145/3292500.3330701", {"doi": "10.1145/3292500.3330701"}),
    ("https://dl.acm.org/doi/abs/10.1145/3292500.3330701", {"doi": "10.1145/3292500.3330701"}),
    ("https://dl.acm.org/doi/pdf/10.1145/3292500.3330701", {"doi": "10.1145/3292500.3330701"}),
    ("https://onlinelibrary.wiley.com/doi/full/10.1002/anie.201915678", {"doi": "10.1002/anie.201915678"}),
    ("https://onlinelibrary.wiley.com/doi/10.1002/anie.201915678/abstract", {"doi": "10.1002/anie.201915678"}),
    ("https://onlinelibrary.wiley.com/doi/epdf/10.1002/anie.201915678", {"doi": "10.1002/anie.201915678"}),
    ("https://www.pnas.org/doi/10.1073/pnas.1907369117", {"doi": "10.1073/pnas.1907369117"}),
    ("https://www.pnas.org/doi/full/10.1073/pnas.1907369117", {"doi": "10.1073/pnas.1907369117"}),
    ("https://www.tandfonline.com/doi/full/10.1080/01621459.2017.1285773", {"doi": "10.1080/01621459.2017.1285773"}),
    ("https://www.biorxiv.org/content/10.1101/2020.05.01.072306v2.full.pdf", {"doi": "10.1101/2020.05.01.072306"}),
    ("https://www.nature.com/articles/nature14539", {"doi": "10.1038/nature14539"}),
    ("https://example.org/paper?doi=10.5555/12345", {"doi": "10.5555/12345"}),
    ("https://doi.org/10.48550/arXiv.2012.10931", {"arxiv": "2012.10931"}),
    ("https://doi.org/10.48550/ARXIV.2105.04026", {"arxiv": "2105.04026"}),
    ("https://www.pnas.org/content/117/48/30039", {}),
    ("https://citeseerx.ist.psu.edu/viewdoc/summary?doi=10.1.1.41.1234", {}),
    ("https://example.org/v10.1234/x", {}),
    # OpenReview
    ("https://openreview.net/forum?id=G70Z8ds32C9", {"openreview": "G70Z8ds32C9"}),
    ("https://openreview.net/pdf?id=PxTIG12RRHS", {"openreview": "PxTIG12RRHS"}),
    ("https://openreview.net/forum?id=aBF8l_jsZP_&noteId=xyz", {"openreview": "aBF8l_jsZP_"}),
    ("https://openreview.net/group?id=ICLR.cc/2021/Conference", {}),
    ("https://openreview.net/forum", {}),
    # GitHub
    ("https://github.com/ryanchankh/redunet_paper", {"github": "ryanchankh/redunet_paper"}),
    ("https://github.com/ryanchankh/redunet_paper/", {"github": "ryanchankh/redunet_paper"}),
    ("https://www.github.com/Ma-Lab-Berkeley/ReduNet/tree/main/models", {"github": "Ma-Lab-Berkeley/ReduNet"}),
    ("https://github.com/pytorch/functorch.git", {"github": "pytorch/functorch"}),
    ("https://github.com/owner/repo/blob/main/README.md#usage", {"github": "owner/repo"}),
    ("https://github.com/ryanchankh", {}),
    ("https://github.com/topics/deep-learning", {}),
    ("https://github.com/orgs/pytorch/repositories", {}),
    ("https://github.com/sponsors/someone", {}),
    ("https://joanbruna.github.io/MathsDL-spring19/", {}),
    ("https://gist.github.com/someone/abc123", {}),
    # ISBN
    ("https://www.springer.com/gp/book/9783030367206", {"isbn": "9783030367206"}),
    ("https://www.springer.com/gp/book/9783030367207", {}),  # wrong check digit
    ("https://www.amazon.com/dp/0262035618", {"isbn": "9780262035613"}),
    ("https://www.amazon.co.uk/Deep-Learning/dp/026203561X", {}),  # wrong check digit
    ("https://books.google.com/books?vid=ISBN9780262035613", {"isbn": "9780262035613"}),
    ("https://example.org/search?isbn=978-0-262-03561-3", {"isbn": "9780262035613"}),
    ("https://mitpress.mit.edu/9780262194754/learning-with-kernels/", {"isbn": "9780262194754"}),
    ("https://example.org/orders/0262035618", {}),  # ten digits outside a book URL
    # Wikipedia
    ("https://en.wikipedia.org/wiki/Universal_approximation_theorem", {"wikipedia": "en:Universal_approximation_theorem"}),
    ("https://en.m.wikipedia.org/wiki/Universal_approximation_theorem", {"wikipedia": "en:Universal_approximation_theorem"}),
    ("https://zh.wikipedia.org/wiki/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0", {"wikipedia": "zh:深度学习"}),
    ("https://en.wikipedia.org/wiki/Kernel method#Mathematics", {"wikipedia": "en:Kernel_method"}),
    ("https://de.wikipedia.org/w/index.php?title=Faltung_(Mathematik)", {"wikipedia": "de:Faltung_(Mathematik)"}),
    ("https://www.wikipedia.org/", {}),
    ("https://en.wikipedia.org/wiki/", {}),
    # Semantic Scholar
    ("https://www.semanticscholar.org/paper/The-Modern-Mathematics/c1229904319da71ac87d80c90976666944b4323f", {"s2": "c1229904319da71ac87d80c90976666944b4323f"}),
    ("https://www.semanticscholar.org/paper/C1229904319DA71AC87D80C90976666944B4323F", {"s2": "c1229904319da71ac87d80c90976666944b4323f"}),
    ("https://api.semanticscholar.org/CorpusID:234343146", {"corpus_id": 234343146}),
    ("https://www.semanticscholar.org/author/123", {}),
    # PubMed Central
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7720221/", {"pmcid": "PMC7720221"}),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC7720221", {"pmcid": "PMC7720221"}),
    ("https://europepmc.org/article/PMC/pmc7720221", {"pmcid": "PMC7720221"}),
    ("https://example.org/PMC7720221", {}),
    # Nothing to name
    ("https://www.ideal.northwestern.edu/special-quarters/fall-2020/", {}),
    ("not a url at all", {}),
    ("http://[broken", {}),
    ("", {}),
]
# fmt: on


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_identify_url(url: str, expected: dict[str, object]) -> None:
    ids = identify_url(url)
    assert ids.url == normalize_url(url)
    assert {k: v for k, v in ids.items() if k != "url"} == {k: str(v) for k, v in expected.items()}


def test_identify_url_keeps_field_types() -> None:
    assert identify_url("https://api.semanticscholar.org/CorpusID:42").corpus_id == 42


# ---------------------------------------------------------------------------------------
# extract_identifiers
# ---------------------------------------------------------------------------------------

# fmt: off
TEXT_CASES: list[tuple[str, dict[str, str]]] = [
    ("arXiv 1910.01619 (Beyond Linearization)", {"arxiv": "1910.01619"}),
    ("arXiv:1702.08489v2.", {"arxiv": "1702.08489"}),
    ("arXiv preprint arXiv:2012.10931, 2020", {"arxiv": "2012.10931"}),
    ("see https://arxiv.org/abs/hep-th/9901001v2)", {"arxiv": "hep-th/9901001"}),
    ("(arXiv：2105.04026)", {"arxiv": "2105.04026"}),
    ("arXiv:1702.084891", {}),
    ("doi:10.1234/x", {"doi": "10.1234/x"}),
    ("see doi:10.1234/x.", {"doi": "10.1234/x"}),
    ("DOI: 10.1016/J.NEUNET.2020.01.018;", {"doi": "10.1016/j.neunet.2020.01.018"}),
    ("(https://doi.org/10.1090/noti2259)", {"doi": "10.1090/noti2259"}),
    ("published as 10.1073/pnas.1907369117, see", {"doi": "10.1073/pnas.1907369117"}),
    ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O", {"doi": "10.1002/(sici)1097-4571(199806)49:8"}),
    ("(doi:10.1002/(SICI)1097-4571(199806)49).", {"doi": "10.1002/(sici)1097-4571(199806)49"}),
    ("doi:10.1016/j.eng.2019.09.010。中文", {"doi": "10.1016/j.eng.2019.09.010"}),
    ("https://doi.org/10.48550/arXiv.2012.10931", {"arxiv": "2012.10931"}),
    ("version 10.12/3 is not a DOI, nor 1.10.1234/x", {}),
    ("arXiv 1910.01619 and doi:10.1234/x", {"arxiv": "1910.01619", "doi": "10.1234/x"}),
    ("", {}),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_extract_identifiers(text: str, expected: dict[str, str]) -> None:
    assert dict(extract_identifiers(text).items()) == expected


# ---------------------------------------------------------------------------------------
# guess_kind
# ---------------------------------------------------------------------------------------


def test_kinds_are_classes_of_the_ontology() -> None:
    graph = Graph().parse(ONTOLOGY, format="turtle")
    kg = Namespace("https://w3id.org/kg/ontology#")
    classes = {str(c).removeprefix(str(kg)) for c in graph.subjects(RDF.type, OWL.Class)}
    assert set(KINDS) <= classes
    assert len(KINDS) == len(set(KINDS)) == 15


# fmt: off
KIND_CASES: list[tuple[str, str, tuple[str, ...], str, str]] = [
    # (url, title, topics, note, kind)
    # sections that name a kind win
    ("https://joanbruna.github.io/MathsDL-spring19/", "MathsDL", ("DL Theory", "Course"), "", "Course"),
    ("https://www.ideal.northwestern.edu/special-quarters/fall-2020/", "Theory", ("Courses",), "", "Course"),
    ("https://example.org/x", "X", ("Lectures",), "", "Course"),
    ("https://example.org/x", "X", ("公开课程",), "", "Course"),
    ("https://arxiv.org/pdf/2004.07984.pdf", "Spectral Learning", ("T", "Book"), "", "Book"),
    ("https://example.org/x", "X", ("书籍",), "", "Book"),
    ("https://github.com/a/b", "B", ("📚 Books",), "", "Book"),
    ("https://example.org/x", "X", ("Blogs",), "", "Blog"),
    ("https://example.org/2020/01/02/post/", "X", ("Blogs",), "", "BlogPost"),
    ("https://example.org/x", "X", ("Survey Papers",), "", "Survey"),
    ("https://arxiv.org/abs/1706.03762", "Attention", ("综述",), "", "Survey"),
    ("https://www.dgl.ai/", "DGL", ("Code",), "", "CodeRepository"),
    ("https://example.org/x", "X", ("Implementations",), "", "CodeRepository"),
    ("https://example.org/x.pdf", "X", ("Slides",), "", "Slides"),
    ("https://example.org/x", "X", ("Workshops",), "", "Event"),
    ("https://arxiv.org/abs/1706.03762", "X", ("Workshop papers",), "", "Preprint"),
    ("https://arxiv.org/abs/1706.03762", "X", ("Books", "Optimization"), "", "Book"),
    ("https://arxiv.org/abs/1706.03762", "X", ("Coding theory",), "", "Preprint"),
    ("https://arxiv.org/abs/1706.03762", "X", ("Papers with Code",), "", "Preprint"),
    ("https://example.org/x", "X", ("Source code",), "", "CodeRepository"),
    # URL hints
    ("https://github.com/ryanchankh/redunet_paper", "redunet_paper", (), "", "CodeRepository"),
    ("https://gitlab.com/group/project", "P", (), "", "CodeRepository"),
    ("https://github.com/topics/ml", "ML", (), "", "WebPage"),
    ("https://en.wikipedia.org/wiki/Universal_approximation_theorem", "U", (), "", "EncyclopediaArticle"),
    ("https://paperswithcode.com/method/nesterov-accelerated-gradient", "N", (), "", "EncyclopediaArticle"),
    ("https://paperswithcode.com/paper/attention-is-all-you-need", "A", (), "", "Paper"),
    ("http://www.scholarpedia.org/article/Kernel", "K", (), "", "EncyclopediaArticle"),
    ("https://www.zhihu.com/question/347654789/answer/1480974642", "赵拓等三篇", (), "", "Answer"),
    ("https://zhuanlan.zhihu.com/p/123456", "专栏", (), "", "BlogPost"),
    ("https://stats.stackexchange.com/questions/1/why", "Why", (), "", "Answer"),
    ("https://stackoverflow.com/a/123", "A", (), "", "Answer"),
    ("https://mathoverflow.net/q/42", "Q", (), "", "Answer"),
    ("https://www.quora.com/What-is-ML", "Q", (), "", "Answer"),
    ("https://openreview.net/forum?id=G70Z8ds32C9", "DEEP NETWORKS", (), "", "ConferencePaper"),
    ("https://www.springer.com/gp/book/9783030367206", "DL Architectures", (), "", "Book"),
    ("https://www.amazon.com/dp/0262035618", "Deep Learning", (), "", "Book"),
    ("https://link.springer.com/chapter/10.1007/978-3-030-58452-8_13", "Chapter", (), "", "Book"),
    ("https://www.deeplearningbook.org/", "The Deep Learning Book", (), "", "Book"),
    ("http://www.offconvex.org/2021/03/25/beyondNTK/", "beyondNTK", (), "", "BlogPost"),
    ("https://openai.com/blog/deep-double-descent/", "Double descent", (), "", "BlogPost"),
    ("https://ai.googleblog.com/2020/01/x.html", "X", (), "", "BlogPost"),
    ("https://lilianweng.github.io/posts/2021-07-11-diffusion-models/", "Diffusion", (), "", "BlogPost"),
    ("http://www.offconvex.org/", "offconvex", (), "几个学术工作者维护的AI博客。", "Blog"),
    ("https://openai.com/blog/", "OpenAI", (), "", "Blog"),
    ("https://blog.example.org/", "Some blog", (), "", "Blog"),
    ("https://www.example.org/", "Example", (), "", "WebPage"),
    ("https://www.mathematik.uni-wuerzburg.de/x/Seminar__Artificial_Neural_Network__24_9__.pdf", "C", (), "", "Slides"),
    ("https://example.org/talks/sde-slides.pdf", "SDE", (), "", "Slides"),
    ("https://example.org/x.pdf", "Lecture 3: kernels", (), "", "Slides"),
    ("https://example.org/deck.pptx", "Deck", (), "", "Slides"),
    ("https://speakerdeck.com/someone/talk", "Talk", (), "", "Slides"),
    ("https://www.cs.princeton.edu/courses/archive/fall19/cos597B/", "COS 597B", (), "", "Course"),
    ("https://www.coursera.org/learn/machine-learning", "ML", (), "", "Course"),
    ("https://www.newton.ac.uk/event/mdl", "Mathematics of deep learning", (), "", "Event"),
    ("https://example.org/workshop2021/", "W", (), "", "Event"),
    ("https://example.org/x", "ICML Workshop on Theory", (), "", "Event"),
    ("https://arxiv.org/pdf/2012.10931.pdf", "Recent advances in deep learning theory", (), "", "Survey"),
    ("https://arxiv.org/abs/1812.08434", "Graph Neural Networks: A Review of Methods", (), "", "Survey"),
    ("https://arxiv.org/abs/1910.10683", "A Tutorial on Transformers", (), "", "Survey"),
    ("https://arxiv.org/abs/1702.08489", "Depth Separation for Neural Networks", (), "", "Preprint"),
    ("https://arxiv.org/abs/1702.08489", "A Workshop-ready Reviewer Model", (), "", "Preprint"),
    ("https://doi.org/10.48550/arXiv.2105.05233", "Diffusion Models Beat GANs", (), "", "Preprint"),
    ("https://www.biorxiv.org/content/10.1101/2020.05.01.072306v2", "Cells", (), "", "Preprint"),
    ("https://proceedings.mlr.press/v70/jin17a.html", "Escape", (), "", "ConferencePaper"),
    ("https://papers.nips.cc/paper/2017/hash/x-Abstract.html", "GraphSAGE", (), "", "ConferencePaper"),
    ("https://aclanthology.org/N19-1423.pdf", "BERT", (), "", "ConferencePaper"),
    ("http://www.engineering.org.cn/ch/10.1016/j.eng.2019.09.010", "几何学解释", (), "", "JournalArticle"),
    ("https://doi.org/10.1016/j.neunet.2020.01.018", "A survey of kernels", (), "", "Survey"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7720221/", "Issues", (), "", "JournalArticle"),
    ("https://www.jmlr.org/papers/v2/bousquet02a.html", "Stability", (), "", "JournalArticle"),
    ("https://www.pnas.org/content/117/48/30039", "Theoretical issues in deep networks", (), "", "Paper"),
    ("https://www.ams.org/journals/notices/202104/rnoti-p565.pdf", "The Dawning", (), "", "Paper"),
    ("https://www.cityu.edu.hk/rcms/pdf/XDZhou/dxZhou2020b.pdf", "Downsampling", (), "", "Paper"),
    ("https://www.semanticscholar.org/paper/c1229904319da71ac87d80c90976666944b4323f", "M", (), "", "Paper"),
    ("https://www.youtube.com/watch?v=abc", "A video", (), "", "WebPage"),
    ("not a url", "", (), "", "WebPage"),
]
# fmt: on


@pytest.mark.parametrize(("url", "title", "topics", "note", "kind"), KIND_CASES)
def test_guess_kind(url: str, title: str, topics: tuple[str, ...], note: str, kind: str) -> None:
    assert kind in KINDS
    assert guess_kind(url, identify_url(url), title=title, topics=topics, note=note) == kind


def test_guess_kind_reads_identifiers_it_is_given_and_those_in_the_url() -> None:
    page = "https://example.org/some/page"
    assert guess_kind(page, Identifiers()) == "WebPage"
    assert guess_kind(page, Identifiers(arxiv="1702.08489")) == "Preprint"
    assert guess_kind(page, Identifiers(doi="10.1/x")) == "JournalArticle"
    assert guess_kind("https://github.com/a/b", Identifiers()) == "CodeRepository"


def test_innermost_telling_section_wins() -> None:
    url = "https://example.org/x"
    assert guess_kind(url, Identifiers(), topics=("Books", "Courses")) == "Course"
    assert guess_kind(url, Identifiers(), topics=("Courses", "Books")) == "Book"
    assert guess_kind(url, Identifiers(), topics=("Books", "Further reading")) == "Book"


# fmt: off
VENUE_CASES: list[tuple[str, str | None]] = [
    ("arxiv", "Preprint"), ("arXiv preprint", "Preprint"), ("CoRR", "Preprint"), ("bioRxiv", "Preprint"),
    ("ICML", "ConferencePaper"), ("NeurIPS", "ConferencePaper"), ("ICML Workshop", "ConferencePaper"),
    ("In Proceedings of the 34th International Conference on Machine Learning", "ConferencePaper"),
    ("Advances in Neural Information Processing Systems", "ConferencePaper"),
    ("IEEE TNN", "JournalArticle"), ("JMLR", "JournalArticle"), ("Neural Networks", "JournalArticle"),
    ("Journal of Machine Learning Research", "JournalArticle"), ("Physical Review Letters", "JournalArticle"),
    ("Proceedings of the IEEE", "JournalArticle"), ("PNAS", "JournalArticle"),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "JournalArticle"),
    ("Springer", None), ("Some Venue", None),
]
# fmt: on


@pytest.mark.parametrize(("venue", "kind"), VENUE_CASES)
def test_a_venue_names_a_kind(venue: str, kind: str | None) -> None:
    assert venue_kind(venue) == kind


def test_a_venue_is_a_kind_hint_behind_the_section_and_url_rules() -> None:
    pdf, page = "https://example.org/papers/x.pdf", "https://example.org/x"
    # Nothing else says: the venue names the kind.
    assert guess_kind(pdf, Identifiers(), venue="ICML") == "ConferencePaper"
    assert guess_kind(page, Identifiers(), venue="IEEE TNN") == "JournalArticle"
    assert guess_kind(pdf, Identifiers(), venue="arxiv") == "Preprint"
    assert guess_kind("https://www.pnas.org/content/117/48/30039", Identifiers(), venue="PNAS") == "JournalArticle"
    # A precise address, a link's role and a section that names a kind all come first.
    assert guess_kind("https://arxiv.org/abs/1702.08489", Identifiers(), venue="COLT") == "Preprint"
    assert guess_kind("https://github.com/a/b", Identifiers(), venue="NeurIPS") == "CodeRepository"
    assert guess_kind(page, Identifiers(), venue="NeurIPS", role="slides") == "Slides"
    assert guess_kind(pdf, Identifiers(), venue="ICML", topics=("Books",)) == "Book"
    # A venue that names no kind changes nothing.
    assert guess_kind(pdf, Identifiers(), venue="Springer") == "Paper"


def test_the_identify_stage_passes_the_listed_venue() -> None:
    from kg.identify.entries import identify_entries
    from kg.model.records import Corpus
    from kg.read.markdown import parse_reading_list

    text = (
        "## Papers\n"
        "- [Synthetic kernels](https://example.org/files/kernels.pdf) - A. Synthetic, ICML 2019\n"
        "- [Synthetic journal piece](https://example.org/files/piece.pdf) - B. Synthetic, IEEE TNN 2009\n"
        "- [Synthetic preprint](https://example.org/files/pre.pdf) - C. Synthetic, arxiv 2021\n"
        "- [Synthetic paper](https://example.org/files/plain.pdf) (2020)\n"
    )
    corpus = Corpus(reading_list=parse_reading_list(text))
    identify_entries(corpus)
    kinds = [corpus.entry_kinds[e.key] for e in corpus.entries if not e.is_topic]
    assert kinds == ["ConferencePaper", "JournalArticle", "Preprint", "Paper"]


@pytest.mark.parametrize(
    "found",
    [
        lambda: doi_identifiers("10.٥٥٥٥/synthetic.0001").doi,  # Arabic-Indic digits
        lambda: extract_identifiers("doi:10.５５５５/synthetic").doi,  # fullwidth digits
        lambda: identify_url("https://doi.org/10.٥٥٥٥/synthetic").doi,
        lambda: parse_arxiv_id("٢٠١٢.١٠٩٣١"),
        lambda: extract_identifiers("arXiv:٢٠١٢.١٠٩٣١").arxiv,
        lambda: identify_url("https://arxiv.org/abs/٢٠١٢.١٠٩٣١").arxiv,
    ],
)
def test_digits_of_other_scripts_make_no_doi_or_arxiv_id(found: Callable[[], str | None]) -> None:
    """The shapes (``ontology/shapes.ttl``) take ASCII digits only, [0-9], where Python's
    ``\\d`` takes every script's: a DOI written with others failed the build at its end."""
    assert found() is None
