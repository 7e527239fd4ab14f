"""Fictional names and titles in many scripts, drawn from one seeded random generator."""

from __future__ import annotations

import random
from collections.abc import Callable

ADJECTIVES = [
    "blue",
    "black",
    "golden",
    "silver",
    "quiet",
    "broken",
    "electric",
    "endless",
    "wild",
    "lonely",
    "sweet",
    "bitter",
    "neon",
    "velvet",
    "hollow",
    "burning",
    "frozen",
    "distant",
    "secret",
    "sacred",
    "restless",
    "gentle",
    "crimson",
    "paper",
    "glass",
    "iron",
    "northern",
    "southern",
    "summer",
    "winter",
    "midnight",
    "early",
    "late",
    "last",
    "first",
    "little",
    "lost",
    "brave",
    "strange",
    "open",
    "empty",
    "perfect",
    "heavy",
    "slow",
    "fast",
    "young",
    "old",
    "bright",
    "dark",
    "hidden",
    "lucky",
    "purple",
    "yellow",
    "green",
    "tender",
    "savage",
    "lazy",
    "rising",
    "falling",
    "drifting",
]
NOUNS = [
    "love",
    "heart",
    "night",
    "fire",
    "rain",
    "river",
    "road",
    "sky",
    "star",
    "moon",
    "sun",
    "dream",
    "light",
    "shadow",
    "city",
    "ocean",
    "wave",
    "storm",
    "song",
    "garden",
    "window",
    "door",
    "house",
    "mountain",
    "valley",
    "desert",
    "island",
    "letter",
    "mirror",
    "memory",
    "morning",
    "evening",
    "highway",
    "horizon",
    "thunder",
    "lightning",
    "ghost",
    "angel",
    "devil",
    "kiss",
    "tears",
    "smile",
    "heaven",
    "paradise",
    "forest",
    "flower",
    "rose",
    "echo",
    "signal",
    "satellite",
    "machine",
    "engine",
    "radio",
    "television",
    "telephone",
    "diamond",
    "gold",
    "silver",
    "honey",
    "sugar",
    "whiskey",
    "coffee",
    "cigarette",
    "dance",
    "party",
    "summer",
    "winter",
    "autumn",
    "spring",
    "weekend",
    "friday",
    "sunday",
    "heartbeat",
    "daydream",
    "runaway",
    "stranger",
    "lover",
    "sister",
    "brother",
    "mother",
    "father",
    "child",
    "kingdom",
    "empire",
    "crown",
    "throne",
    "castle",
    "tower",
    "bridge",
    "harbor",
    "station",
    "train",
    "airplane",
    "rocket",
    "planet",
    "galaxy",
    "universe",
    "comet",
    "circle",
    "line",
    "arrow",
    "blade",
    "feather",
    "stone",
    "glass",
]
VERBS = [
    "dance",
    "run",
    "fall",
    "fly",
    "burn",
    "shine",
    "cry",
    "dream",
    "wait",
    "hold",
    "leave",
    "stay",
    "break",
    "carry",
    "follow",
    "remember",
    "forget",
    "believe",
    "hide",
    "chase",
    "breathe",
    "wake",
    "sleep",
    "drive",
    "swim",
    "sing",
]
PREPOSITIONS = ["in", "on", "under", "over", "through", "across", "beyond", "without", "into"]

LATIN_ONSETS = [  # noqa: RUF005
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kl",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
] + [""]
LATIN_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "ia"]
LATIN_CODAS = ["", "", "", "n", "r", "l", "s", "x", "th", "nd", "rk", "m"]
ACCENTED_VOWELS = ["é", "è", "ë", "ö", "ø", "å", "ä", "ü", "ñ", "í", "ó", "á", "ç"]

CYRILLIC_SYLLABLES = [
    "ка",
    "ри",
    "на",
    "во",
    "ле",
    "ми",
    "ся",
    "до",
    "ль",
    "та",
    "ро",
    "зе",
    "ве",
    "ни",
    "ло",
    "ма",
    "ша",
    "ки",
    "ду",
    "бо",
]
GREEK_SYLLABLES = [
    "κα",
    "λη",
    "μέ",
    "ρα",
    "νί",
    "σο",
    "φί",
    "α",
    "θη",
    "νά",
    "δη",
    "μη",
    "τρα",
    "γιώ",
    "ρ",
    "γο",
    "ς",
]
HANGUL_SYLLABLES = [
    "가",
    "나",
    "다",
    "라",
    "마",
    "바",
    "사",
    "아",
    "자",
    "하",
    "민",
    "수",
    "지",
    "영",
    "현",
    "서",
    "윤",
    "준",
    "혜",
    "별",
    "빛",
    "꽃",
    "밤",
]
KANA = [
    "あ",
    "い",
    "う",
    "え",
    "お",
    "か",
    "き",
    "く",
    "さ",
    "し",
    "す",
    "た",
    "ち",
    "つ",
    "な",
    "に",
    "の",
    "は",
    "ひ",
    "ま",
    "み",
    "む",
    "や",
    "ゆ",
    "よ",
    "ら",
    "り",
    "る",
]
KATAKANA = [
    "ア",
    "イ",
    "カ",
    "キ",
    "サ",
    "シ",
    "タ",
    "チ",
    "ナ",
    "ニ",
    "ハ",
    "ヒ",
    "マ",
    "ミ",
    "ヤ",
    "ユ",
    "ラ",
    "リ",
    "ル",
    "レ",
    "ロ",
    "ン",
]
KANJI = [
    "夜",
    "空",
    "花",
    "月",
    "星",
    "雨",
    "風",
    "光",
    "夢",
    "心",
    "恋",
    "海",
    "青",
    "春",
    "秋",
    "冬",
    "雪",
    "桜",
    "道",
    "火",
    "水",
    "島",
    "影",
    "声",
    "愛",
]
JAPANESE_SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤"]
HANZI = [
    "爱",
    "夜",
    "心",
    "梦",
    "雨",
    "风",
    "花",
    "月",
    "星",
    "光",
    "海",
    "天",
    "你",
    "我",
    "的",
    "歌",
    "城",
    "路",
    "春",
    "秋",
    "红",
    "蓝",
    "远",
    "忘",
]
CHINESE_SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"]
CHINESE_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂",
    "英",
    "华",
]
ARABIC_NAMES = ["سلمى", "يوسف", "ليلى", "كريم", "نور", "فيروز", "عمر", "مريم", "حسن", "رنا"]
ARABIC_WORDS = ["قمر", "ليل", "نور", "حب", "بحر", "سماء", "قلب", "حلم", "شمس", "طريق"]
DEVANAGARI_NAMES = ["आरव", "अनन्या", "रोहन", "प्रिया", "कबीर", "मीरा", "अर्जुन", "सिया"]
DEVANAGARI_WORDS = ["प्रेम", "रात", "सपना", "दिल", "बारिश", "चाँद", "सफ़र", "आसमान"]
VIETNAMESE_SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
]
VIETNAMESE_GIVEN = [
    "Thảo",
    "Hương",
    "Minh",
    "Anh",
    "Đức",
    "Hà",
    "Linh",
    "Quỳnh",
    "Tuấn",
    "Dũng",
    "Ngọc",
    "Phương",
]
VIETNAMESE_WORDS = [
    "mùa",
    "thu",
    "nỗi",
    "nhớ",
    "tình",
    "yêu",
    "đêm",
    "trăng",
    "biển",
    "xanh",
    "con",
    "đường",
    "giấc",
    "mơ",
]

GENRES = [
    "indie pop",
    "dream pop",
    "synthwave",
    "deep house",
    "tech house",
    "dark techno",
    "drum and bass",
    "lo-fi beats",
    "bedroom pop",
    "k-pop",
    "j-pop",
    "j-rock",
    "c-pop",
    "mandopop",
    "russian rock",
    "greek folk",
    "arabic pop",
    "bollywood",
    "v-pop",
    "chanson",
    "nordic folk",
    "post-rock",
    "math rock",
    "shoegaze",
    "neo soul",
    "trap",
    "cloud rap",
    "boom bap",
    "jazz fusion",
    "bossa nova",
    "reggaeton",
    "latin pop",
    "afrobeats",
    "amapiano",
    "country",
    "americana",
    "bluegrass",
    "metalcore",
    "black metal",
    "doom metal",
    "punk",
    "garage rock",
    "britpop",
    "ambient",
    "modern classical",
    "baroque",
    "opera",
    "children's music",
    "gospel",
    "dancehall",
    "dub",
    "city pop",
    "vaporwave",
    "hyperpop",
]

LABEL_SUFFIXES = ("Records", "Music", "Recordings", "Sound", "Audio", "Label", "Tapes")


def capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


class NameMaker:
    """Makes fictional artist names, titles and labels in a mix of scripts."""

    # (script, weight): the share of artists writing in each script
    SCRIPTS: tuple[tuple[str, int], ...] = (
        ("latin", 66),
        ("accented", 10),
        ("cyrillic", 4),
        ("japanese", 4),
        ("chinese", 4),
        ("korean", 3),
        ("greek", 2),
        ("arabic", 2),
        ("devanagari", 2),
        ("vietnamese", 3),
    )

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        scripts, weights = zip(*self.SCRIPTS, strict=True)
        self._scripts = list(scripts)
        self._cum_weights: list[int] = []
        total = 0
        for weight in weights:
            total += weight
            self._cum_weights.append(total)
        self._artist_makers: dict[str, Callable[[], str]] = {
            "latin": self._latin_artist,
            "accented": self._accented_artist,
            "cyrillic": lambda: self._syllable_name(CYRILLIC_SYLLABLES, 2, 2),
            "greek": lambda: self._syllable_name(GREEK_SYLLABLES, 2, 2),
            "korean": lambda: self._joined(HANGUL_SYLLABLES, 2, 3),
            "japanese": self._japanese_artist,
            "chinese": lambda: (
                self.rng.choice(CHINESE_SURNAMES) + self._joined(CHINESE_GIVEN, 1, 2)
            ),
            "arabic": lambda: " ".join(self.rng.sample(ARABIC_NAMES, 2)),
            "devanagari": lambda: " ".join(self.rng.sample(DEVANAGARI_NAMES, 2)),
            "vietnamese": lambda: (
                f"{self.rng.choice(VIETNAMESE_SURNAMES)} {self.rng.choice(VIETNAMESE_GIVEN)}"
            ),
        }

    def script(self) -> str:
        return self.rng.choices(self._scripts, cum_weights=self._cum_weights)[0]

    # -- pieces -----------------------------------------------------------------------

    def _word(self, syllables: int) -> str:
        rng = self.rng
        parts = [
            rng.choice(LATIN_ONSETS) + rng.choice(LATIN_VOWELS) + rng.choice(LATIN_CODAS)
            for _ in range(syllables)
        ]
        return "".join(parts) or "ka"

    def _joined(self, alphabet: list[str], low: int, high: int) -> str:
        return "".join(self.rng.choices(alphabet, k=self.rng.randint(low, high)))

    def _syllable_name(self, alphabet: list[str], words: int, syllables: int) -> str:
        return " ".join(
            capitalise(self._joined(alphabet, syllables, syllables + 1)) for _ in range(words)
        )

    def _latin_artist(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return f"{capitalise(self._word(2))} {capitalise(self._word(rng.randint(2, 3)))}"
        if roll < 0.65:
            adjective = capitalise(rng.choice(ADJECTIVES))
            noun = capitalise(rng.choice(NOUNS))
            return f"The {adjective} {noun}s"
        if roll < 0.8:
            return capitalise(self._word(rng.randint(2, 3)))
        if roll < 0.9:
            return f"DJ {capitalise(self._word(2))}"
        first, second = capitalise(self._word(2)), capitalise(self._word(2))
        return f"{first} & {second}"

    def _accented_artist(self) -> str:
        word = list(self._word(2) + self._word(1))
        positions = [i for i, char in enumerate(word) if char in "aeiou"]
        for position in self.rng.sample(positions, k=min(len(positions), 2)):
            word[position] = self.rng.choice(ACCENTED_VOWELS)
        return f"{capitalise(self._word(2))} {capitalise(''.join(word))}"

    def _japanese_artist(self) -> str:
        roll = self.rng.random()
        if roll < 0.4:
            return self.rng.choice(JAPANESE_SURNAMES) + self._joined(KANJI, 1, 2)
        if roll < 0.7:
            return self._joined(KATAKANA, 3, 5)
        return self._joined(KANA, 3, 5)

    # -- public -----------------------------------------------------------------------

    def artist(self, script: str) -> str:
        return self._artist_makers[script]()

    def title(self, script: str) -> str:
        """A track or album title; non-Latin artists title a share of songs in English."""
        rng = self.rng
        if script in ("latin", "accented") or rng.random() < 0.4:
            roll = rng.random()
            if roll < 0.25:
                return capitalise(rng.choice(NOUNS))
            if roll < 0.55:
                return f"{capitalise(rng.choice(ADJECTIVES))} {capitalise(rng.choice(NOUNS))}"
            if roll < 0.7:
                verb = capitalise(rng.choice(VERBS))
                return f"{verb} {rng.choice(PREPOSITIONS)} the {capitalise(rng.choice(NOUNS))}"
            if roll < 0.85:
                first, second = rng.choice(NOUNS), rng.choice(NOUNS)
                return f"{capitalise(first)} of {capitalise(second)}"
            adjective, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
            return f"{capitalise(adjective)} {capitalise(noun)} {capitalise(self._word(2))}"
        if script == "cyrillic":
            return capitalise(self._joined(CYRILLIC_SYLLABLES, 2, 5))
        if script == "greek":
            return capitalise(self._joined(GREEK_SYLLABLES, 2, 5))
        if script == "korean":
            return self._joined(HANGUL_SYLLABLES, 2, 5)
        if script == "japanese":
            return self._joined(KANJI, 1, 2) + self._joined(KANA, 1, 4)
        if script == "chinese":
            return self._joined(HANZI, 2, 5)
        if script == "arabic":
            return " ".join(rng.sample(ARABIC_WORDS, rng.randint(1, 3)))
        if script == "devanagari":
            return " ".join(rng.sample(DEVANAGARI_WORDS, rng.randint(1, 3)))
        return capitalise(" ".join(rng.sample(VIETNAMESE_WORDS, rng.randint(2, 4))))

    def label(self) -> str:
        return f"{capitalise(self._word(2))} {self.rng.choice(LABEL_SUFFIXES)}"

    def genres(self) -> list[str]:
        return self.rng.sample(GENRES, k=self.rng.choice((0, 1, 1, 2, 2, 3)))
