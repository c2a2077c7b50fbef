"""Finds the names of natural persons inside free text (DOMAIN.md E2), so they can
be masked even when the agency did not list them.

jieba segments the text with a compact dictionary (services/runtime/data/, built
from jieba's own by build_name_data.py); its HMM finds the words the dictionary
does not know, which is where most names end up. A name is then a word that
starts with a surname and is either unknown or tagged as a person name, or a
surname followed by a short word, or a surname right after or before a context
that only people have (雇用X, 证人X, X（身份证, X称). Traditional characters are
converted one to one first, so positions stay the same.

Masking errs towards hiding: a false positive costs a few characters, a false
negative publishes a person. Officers acting in that role (执法人员X, X（执法证号)
and the names the caller keeps (the party, where its region publishes it) are
not returned. Everything is loaded on first use: processes that never mask free
text never pay for the dictionary."""

from __future__ import annotations

import logging
import pathlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from services.runtime.masking import COMPOUND_SURNAMES

DATA = pathlib.Path(__file__).parent / "data"
CACHE_SIZE = 1024  # texts whose names are remembered (a few hundred kB)
MAX_GIVEN_NAME = 2  # characters after the surname; 3-character given names are rare

_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Characters that end a name when they follow the surname: function words,
# "某" (already anonymised), units and place or organisation endings.
STOP_CHARS = frozenset(
    "的了在于是和与及或等某该其本此这那之为被把将向从对自到至以因由未已也都均并且又再就才您你我他她它们"
    "年月日时分秒元角个次位号区市县省州乡镇村路街巷弄楼室店司厂所局部处队院校会社中心"
    "称说讲称述证认供辩签男女岁系任持无有姐士先"
)
# Parts of speech of a dictionary word that cannot be a given name.
NOT_GIVEN_NAME_TAGS = frozenset({"p", "c", "u", "d", "r", "m", "q", "f", "s", "y", "e", "o", "x", "uj", "ul"})
# Words that only precede a person (雇用李小红, 证人王五).
BEFORE_PERSON = (
    "雇用|雇佣|聘用|聘请|招用|雇请|员工|店员|职工|工作人员|从业人员|服务员|厨师|司机|保安|收银员|营业员|"
    "证人|投诉人|举报人|申请人|消费者|顾客|患者|病人|学生|家长|受害人|被害人|购买人|收货人|承租人|出租人|"
    "房东|租户|业主|股东|合伙人|负责人|经营者|实际经营人|实际控制人|法定代表人|委托代理人|代理人|联系人|"
    "其妻|其夫|妻子|丈夫|之子|之女|儿子|女儿|母亲|父亲|亲属|朋友|同事|邻居|村民|居民|男子|女子|"
    "配偶|监事|董事|经理|客服|导游|教练|医生|护士|租客|受雇人|"
    "名叫|叫做|姓名为|姓名|委托|授权|交由|告知|通知|询问|约谈|经查|发现|给(?![予付])"
)
# A noun ending in one of these names a role (收银员, 厨师, 店长, 委托人...): a surname
# right after it starts a name (收银员褚嘉琪).
ROLE_END = frozenset("员师工手长者客户购问理管任监表计练傅机安姆卫台划人生妻夫子女友东主商医事偶")
STRONG_ROLE_END = frozenset("员师商工")
# Surnames that are also prepositions are not read as names after a role (当事人向周某).
PREPOSITIONS = frozenset(
    "于向由和与及将对从在为把被以经"
)  # 质检员, 理疗师: a role even when the word is not in the dictionary
# After a role, a name that is also a word (时代, 简单) is taken when what follows is
# what follows a subject; otherwise 消费者权益 would make 权益 a name.
AFTER_SUBJECT = frozenset("未称在于向将对代签负从已曾为系把被证陈表反、")
# Between the names of a list (侯晓峰、邵丽): a name after a name is a name.
LIST_SEPARATORS = frozenset("、和及与")
# Parts of speech of a word after a lone surname that make it no given name (原/决定, 包/过).
NOT_AFTER_SURNAME_TAGS = NOT_GIVEN_NAME_TAGS | {
    "v",
    "vn",
    "vd",
    "a",
    "ad",
    "an",
    "ug",
    "uv",
    "uz",
    "ud",
    "zg",
}
# Priority when finds overlap: the stronger evidence wins.
PRIORITY = {"context": 0, "list": 0, "role": 1, "segmenter": 2, "surname": 3}
# What only follows a person (李小红（身份证…, 王五称…).
# The first group is strong enough to take a name that is also a word (汪洋（身份证）.
AFTER_PERSON = (
    r"(?P<strong>[（(]?(?:身份证|公民身份|男[，,、）)]|女[，,、）)]|[0-9０-９]+岁|出生)|，?(?:男|女)，)|称|陈述|供述|证实|辩称|"
    r"承认|签字|签名|捺印|表示|反映|投诉|举报|负责|签收|经手|系[^统列]|本人|[一二三四五六七八九十两]人|等人|夫妇|之妻|之夫"
)
# Officers acting in their role keep their names (执法人员王建国、李明（执法证号…）).
OFFICER_BEFORE = (
    r"(?:执法人员|执法员|行政执法人员|承办人员?|办案人员|经办人|检查人员|调查人员|审核人|审批人)[为:：]?"
)
OFFICER_AFTER = r"[（(，,]?(?:执法证|执法证件|证件号|证号)|[一二两三]名执法人员"


@dataclass(frozen=True)
class FoundName:
    """One person's name found in a text, with where and why."""

    name: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class _Model:
    tokenizer: object
    tags: dict[str, str]
    surnames: frozenset[str]
    t2s: dict[int, int]
    before: re.Pattern[str]
    after: re.Pattern[str]
    officer_before: re.Pattern[str]
    officer_after: re.Pattern[str]


@cache
def _model() -> _Model:
    import jieba  # loaded on first use, see the module docstring

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # The prefix dictionary jieba's gen_pfdict would build, filled here so that the
    # tag table shares its word strings (this halves the memory) and no cache file
    # is written to /tmp.
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    for line in (DATA / "name_lexicon.txt").read_text(encoding="utf-8").splitlines():
        word, count, tag = line.split(" ")
        freq[word] = int(count)
        tags[word] = sys.intern(tag)
        total += freq[word]
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    t2s = {}
    for pair in (DATA / "t2s.txt").read_text(encoding="utf-8").split():
        t2s[ord(pair[0])] = ord(pair[1])
    single = (DATA / "surnames.txt").read_text(encoding="utf-8")
    single = "".join(line for line in single.splitlines() if not line.startswith("#"))
    compound = {name.translate(t2s) for name in COMPOUND_SURNAMES}
    return _Model(
        tokenizer=tokenizer,
        tags=tags,
        surnames=frozenset(set(single.strip()) | compound),
        t2s=t2s,
        before=re.compile(rf"(?:{BEFORE_PERSON})的?[为是:：，,]?"),
        after=re.compile(AFTER_PERSON),
        officer_before=re.compile(OFFICER_BEFORE),
        officer_after=re.compile(OFFICER_AFTER),
    )


def load() -> None:
    """Loads the dictionary now (e.g. at start-up, so the first decision is not slower)."""
    _model()


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class _Text:
    """The simplified copy of one text with its segmentation."""

    def __init__(self, model: _Model, text: str) -> None:
        self.m = model
        self.s = text.translate(model.t2s)
        self.tokens = list(model.tokenizer.tokenize(self.s, HMM=True))
        self.token_at = {start: (word, end) for word, start, end in self.tokens}
        # Where each place name the segmenter chose ends (静安区: 静, 安 -> 8).
        self.place_end = {
            i: end
            for word, start, end in self.tokens
            if model.tags.get(word) == "ns"
            for i in range(start, end)
        }

    def surname_len(self, i: int) -> int:
        if self.s[i : i + 2] in self.m.surnames:
            return 2
        return 1 if self.s[i : i + 1] in self.m.surnames else 0

    def given_ok(self, given: str) -> bool:
        return (
            1 <= len(given) <= MAX_GIVEN_NAME
            and all(_is_han(ch) and ch not in STOP_CHARS for ch in given)
            # One-character given names are often numerals or measure words (王五, 万家).
            and (len(given) == 1 or self.m.tags.get(given) not in NOT_GIVEN_NAME_TAGS)
        )

    def starts_word(self, i: int) -> bool:
        """True when an ordinary dictionary word starts at `i` (李红从事: 从事 does)."""
        # Place names are left out: 封新成安排 is no 成安 county.
        return any(
            self.m.tags.get(self.s[i : i + n], "ns") not in ("ns", "nz") and self.is_word(i, i + n)
            for n in (2, 3)
        )

    def word_interrupts(self, p: int) -> bool:
        """True when a known word starting at `p` ends a name there, i.e. neither a
        word nor what follows a person begins at p + 1 (王丽平反映, 王丽宇称)."""
        return self.starts_word(p) and not self.starts_word(p + 1) and not self.m.after.match(self.s, p + 1)

    def name_from(self, i: int) -> int:
        """End of a name starting at `i` (0 if none): the surname and up to two
        given-name characters, stopping where a function character or a known word
        begins (雇用李红从事: 从事 begins, so 李红), see `word_interrupts`."""
        sur = self.surname_len(i)
        if not sur:
            return 0
        end = i + sur
        while end < len(self.s) and end - i - sur < MAX_GIVEN_NAME:
            if not self.given_ok(self.s[i + sur : end + 1]) or (end > i + sur and self.word_interrupts(end)):
                break
            end += 1
        return end if end > i + sur else 0

    def name_before(self, j: int, prepositions: frozenset[str] = PREPOSITIONS) -> int:
        """Start of a name ending at `j` (-1 if none), longest first; a start that
        is a preposition or ends a role word is not a surname (由庞博, 药师田园)."""
        for length in (4, 3, 2):
            i = j - length
            if i < 0 or self.s[i] in prepositions or self.is_role(i):
                continue
            if (
                (sur := self.surname_len(i))
                and length - sur <= MAX_GIVEN_NAME
                and self.given_ok(self.s[i + sur : j])
            ):
                return i
        return -1

    def plausible(self, start: int, end: int) -> bool:
        """A name that is also an ordinary word (简单, 权益) only counts when what
        follows is what follows a person (配货员简单未核对)."""
        tag = self.m.tags.get(self.s[start:end], "nr")
        return tag.startswith("nr") or tag in ("ns", "nz") or self.s[end : end + 1] in AFTER_SUBJECT

    def is_word(self, start: int, end: int) -> bool:
        """True for an ordinary dictionary word (not one tagged as a name)."""
        tag = self.m.tags.get(self.s[start:end])
        return tag is not None and not tag.startswith("nr")

    def is_role(self, k: int) -> bool:
        """True when the character at `k` ends a role noun (收银员, 店长, 供货商)."""
        tags = [self.m.tags.get(self.s[j : k + 1]) for j in range(max(0, k - 3), k)]
        if self.s[k] in STRONG_ROLE_END:  # unless it ends another kind of word (加工)
            return k > 0 and _is_han(self.s[k - 1]) and all(tag in (None, "n") for tag in tags)
        return self.s[k] in ROLE_END and "n" in tags

    def from_roles(self) -> Iterable[tuple[int, int, str]]:
        for k in range(len(self.s) - 2):
            if self.s[k] not in ROLE_END or not (self.surname_len(k + 1) or self.surname_len(k + 2)):
                continue  # cheap checks first: this loop sees every character
            if not self.is_role(k) or self.place_end.get(k, k + 1) > k + 1:
                continue  # 静安区江宁路: the role would end inside a place name
            i = k + 2 if self.s[k + 1] in "为是" else k + 1  # 供货人为范某
            if self.s[i : i + 1] in PREPOSITIONS or not (name_end := self.name_from(i)):
                continue
            if self.plausible(i, name_end):
                yield i, name_end, "role"

    def after_prepositions(self) -> Iterable[tuple[int, int, str]]:
        """向安琪销售, 与季节签订, 由吉祥代为: a name after a preposition, when it is
        no dictionary word or what follows it is what follows a person."""
        for k, ch in enumerate(self.s[:-2]):
            if ch not in "向与由给跟同" or self.s[k + 1] in STOP_CHARS or self.s[k + 1] in PREPOSITIONS:
                continue
            if name_end := self.name_from(k + 1):
                tag = self.m.tags.get(self.s[k + 1 : name_end], "nr")
                if tag.startswith("nr") or self.s[name_end : name_end + 1] in AFTER_SUBJECT:
                    yield k + 1, name_end, "role"

    def list_neighbours(self, start: int, end: int) -> Iterable[tuple[int, int]]:
        """The names next to a name across a list separator (龙飞、夏雨、秦朗)."""
        if self.s[end : end + 1] in LIST_SEPARATORS and (name_end := self.name_from(end + 1)):
            yield end + 1, name_end
        if (
            start > 0
            and self.s[start - 1] in LIST_SEPARATORS
            and (name_start := self.name_before(start - 1)) >= 0
        ):
            yield name_start, start - 1

    def from_tokens(self) -> Iterable[tuple[int, int, str]]:
        for n, (word, start, end) in enumerate(self.tokens):
            sur = self.surname_len(start)
            if not sur or not _is_han(word[0]) or word[0] in STOP_CHARS:
                continue
            if sur < len(word) <= sur + MAX_GIVEN_NAME and self.given_ok(word[sur:]):
                if word not in self.m.tags or self.m.tags[word].startswith("nr"):
                    yield start, end, "segmenter"
            elif len(word) == sur and n + 1 < len(self.tokens):
                following, _, after = self.tokens[n + 1]
                tag = self.m.tags.get(following)
                if (
                    len(following) <= MAX_GIVEN_NAME
                    and self.given_ok(following)
                    and tag not in NOT_AFTER_SURNAME_TAGS
                ):
                    yield start, after, "surname"

    def from_context(self) -> Iterable[tuple[int, int, str]]:
        for match in self.m.before.finditer(self.s):
            if (end := self.name_from(match.end())) and self.plausible(match.end(), end):
                yield match.end(), end, "context"
        for match in self.m.after.finditer(self.s):
            j = match.start()
            if self.is_word(max(j - 1, 0), j + 1) or self.is_word(max(j - 2, 0), j + 1):
                continue  # the trigger ends a word: 联系电话 is no 系
            start = self.name_before(j)
            if start >= 0 and (match.group("strong") or not self.is_word(start, match.start())):
                yield start, match.start(), "context"

    def officers(self) -> set[str]:
        spans = []
        for match in self.m.officer_before.finditer(self.s):
            if end := self.name_from(match.end()):
                spans.append((match.end(), end))
        for match in self.m.officer_after.finditer(self.s):
            # 于洋两名执法人员: here 于 is a surname, not a preposition.
            if (start := self.name_before(match.start(), frozenset())) >= 0:
                spans.append((start, match.start()))
        names = set()
        while spans:
            start, end = spans.pop()
            if self.s[start:end] not in names:
                names.add(self.s[start:end])
                spans.extend(self.list_neighbours(start, end))
        return names


def find_person_names(text: str, keep: Iterable[str] = ()) -> list[FoundName]:
    """The person names in `text`, in order, without those in `keep` and
    without officers named in their role. Overlapping finds keep the longest."""
    if not text or not _HAN.search(text):
        return []
    model = _model()
    doc = _Text(model, text)
    kept = {name.strip().translate(model.t2s) for name in keep if name.strip()} | doc.officers()
    spans = {*doc.from_context(), *doc.from_roles(), *doc.after_prepositions(), *doc.from_tokens()}
    taken = [False] * len(text)
    found: list[FoundName] = []
    pending = sorted(spans, key=lambda f: (PRIORITY[f[2]], f[0], f[0] - f[1]), reverse=True)
    while pending:
        start, end, reason = pending.pop()
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        if doc.s[start:end] not in kept:
            found.append(FoundName(text[start:end], start, end, reason))
        pending.extend((s, e, "list") for s, e in doc.list_neighbours(start, end))
    return sorted(found, key=lambda f: f.start)


def person_names(text: str, keep: Iterable[str] = ()) -> list[str]:
    """The distinct names `find_person_names` finds, longest first."""
    return list(_cached_names(text, tuple(keep)))


@lru_cache(maxsize=CACHE_SIZE)
def _cached_names(text: str, keep: tuple[str, ...]) -> tuple[str, ...]:
    # A decision is masked more than once (a preview then the push, a correction
    # that keeps most of the text): the same text is looked at once.
    return tuple(sorted({f.name for f in find_person_names(text, keep)}, key=len, reverse=True))
