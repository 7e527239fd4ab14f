"""Write the committed audio samples in tests/data/audio/ (run once by hand; CI never runs it).

How the samples were made (Debian 12, 2026-11-25):

    apt-get install -y ffmpeg flac vorbis-tools opus-tools wavpack speex musepack-tools lame
    .venv/bin/python tests/data/make_audio_samples.py

Every sample is half a second (or less) of silence, mono, a few KB, encoded by a free tool:
ffmpeg (AAC, ALAC, WMA, AIFF, WAV, TTA, AC-3, ADTS AAC), flac (FLAC, Ogg FLAC), oggenc
(Vorbis), opusenc, speexenc, lame (MP3), wavpack, mpcenc (Musepack SV8). Some files are
written by hand because no free encoder exists and their layout is tiny and documented:
the DSF container (DSD silence, pattern 0x69, per the Sony DSF 1.01 spec), DSDIFF (the
same silence, Philips DSDIFF 1.5), a Standard MIDI File of one silent note, and the MP3s
whose ID3v2.2 / ID3v1 tags mutagen cannot write (the frames are packed below, byte by
byte). `--crafted-only` writes just DSDIFF and MIDI (added after the first run). Monkey's Audio (APE), TAK and OptimFROG have no free encoder in Debian or on PyPI,
so there are no samples of them.

Tags are then written with mutagen under each format's own tag names (not through
explorer's mapping table, so the tests check that table against an independent truth).
The values are the constants below; tests/library/test_tags.py lists what each sample
must read back.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mutagen import id3
from mutagen.aiff import AIFF
from mutagen.apev2 import APEv2
from mutagen.asf import ASF
from mutagen.dsdiff import DSDIFF
from mutagen.dsf import DSF
from mutagen.flac import FLAC, Picture
from mutagen.mp4 import MP4, MP4FreeForm
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis
from mutagen.trueaudio import TrueAudio
from mutagen.wave import WAVE

OUT = Path(__file__).resolve().parent / "audio"

TITLE = "Silent Track – Ünïcode"
ARTISTS = ["Artist One", "Artist Two"]
ALBUM = "Quiet Album"
ALBUM_ARTIST = "Various Quiet"
TRACK, TRACK_TOTAL, DISC, DISC_TOTAL = 3, 12, 1, 2
DATE = "2001-05-06"
GENRE = "Ambient"
ISRC = "USQX91300001"
LABEL = "Hush Records"
CATALOG_NUMBER = "HUSH-001"
BARCODE = "0123456789012"
MB_RECORDING = "1d4f4c3c-8f4e-4b57-9d2b-3b7a4f1f0a01"
MB_RELEASE = "2e5a5d4d-9a5f-4c68-8e3c-4c8b5a2a1b02"
SPOTIFY_URL = "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"
# A 1x1 PNG embedded as the front cover of sample.flac and id3v24.mp3
COVER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def _silence_wav(path: Path, *, rate: int = 8000, seconds: float = 0.5) -> None:
    _run(
        "ffmpeg", "-y", "-f", "lavfi", "-i", f"anullsrc=r={rate}:cl=mono", "-t", str(seconds),
        "-c:a", "pcm_s16le", str(path),
    )  # fmt: skip


def _ffmpeg(wav: Path, out: Path, *codec: str) -> None:
    _run("ffmpeg", "-y", "-i", str(wav), *codec, str(out))


def _id3_frames(tags: id3.ID3) -> None:
    tags.add(id3.TIT2(encoding=3, text=[TITLE]))
    tags.add(id3.TPE1(encoding=3, text=ARTISTS))
    tags.add(id3.TALB(encoding=3, text=[ALBUM]))
    tags.add(id3.TPE2(encoding=3, text=[ALBUM_ARTIST]))
    tags.add(id3.TRCK(encoding=3, text=[f"{TRACK}/{TRACK_TOTAL}"]))
    tags.add(id3.TPOS(encoding=3, text=[f"{DISC}/{DISC_TOTAL}"]))
    tags.add(id3.TDRC(encoding=3, text=[DATE]))
    tags.add(id3.TCON(encoding=3, text=[GENRE]))
    tags.add(id3.TSRC(encoding=3, text=[ISRC]))
    tags.add(id3.TPUB(encoding=3, text=[LABEL]))
    tags.add(id3.TCMP(encoding=3, text=["1"]))
    tags.add(id3.TXXX(encoding=3, desc="CATALOGNUMBER", text=[CATALOG_NUMBER]))
    tags.add(id3.TXXX(encoding=3, desc="BARCODE", text=[BARCODE]))
    tags.add(id3.TXXX(encoding=3, desc="MusicBrainz Album Id", text=[MB_RELEASE]))
    tags.add(id3.UFID(owner="http://musicbrainz.org", data=MB_RECORDING.encode()))
    tags.add(id3.WXXX(encoding=3, desc="Spotify", url=SPOTIFY_URL))


def _vorbis(tags: object) -> None:
    values = {
        "TITLE": [TITLE], "ARTIST": ARTISTS, "ALBUM": [ALBUM], "ALBUMARTIST": [ALBUM_ARTIST],
        "TRACKNUMBER": [str(TRACK)], "TRACKTOTAL": [str(TRACK_TOTAL)],
        "DISCNUMBER": [str(DISC)], "DISCTOTAL": [str(DISC_TOTAL)], "DATE": [DATE],
        "GENRE": [GENRE], "ISRC": [ISRC], "LABEL": [LABEL], "CATALOGNUMBER": [CATALOG_NUMBER],
        "BARCODE": [BARCODE], "MUSICBRAINZ_TRACKID": [MB_RECORDING],
        "MUSICBRAINZ_ALBUMID": [MB_RELEASE], "COMPILATION": ["1"], "COMMENT": [SPOTIFY_URL],
    }  # fmt: skip
    for key, value in values.items():
        tags[key] = value  # type: ignore[index]


def _mp4(audio: MP4) -> None:
    assert audio.tags is not None
    free = "----:com.apple.iTunes:"

    def ff(text: str) -> list[MP4FreeForm]:
        return [MP4FreeForm(text.encode())]

    audio.tags.update(
        {
            "©nam": [TITLE], "©ART": ARTISTS, "©alb": [ALBUM], "aART": [ALBUM_ARTIST],
            "trkn": [(TRACK, TRACK_TOTAL)], "disk": [(DISC, DISC_TOTAL)], "©day": [DATE],
            "©gen": [GENRE], "cpil": True, f"{free}ISRC": ff(ISRC), f"{free}LABEL": ff(LABEL),
            f"{free}CATALOGNUMBER": ff(CATALOG_NUMBER), f"{free}BARCODE": ff(BARCODE),
            f"{free}MusicBrainz Track Id": ff(MB_RECORDING),
            f"{free}MusicBrainz Album Id": ff(MB_RELEASE), "©cmt": [SPOTIFY_URL],
        }
    )  # fmt: skip


def _asf(audio: ASF) -> None:
    values = {
        "Title": [TITLE], "Author": ARTISTS, "WM/AlbumTitle": [ALBUM],
        "WM/AlbumArtist": [ALBUM_ARTIST], "WM/TrackNumber": [str(TRACK)],
        "WM/PartOfSet": [f"{DISC}/{DISC_TOTAL}"], "WM/Year": [DATE[:4]], "WM/Genre": [GENRE],
        "WM/ISRC": [ISRC], "WM/Publisher": [LABEL], "WM/CatalogNo": [CATALOG_NUMBER],
        "WM/Barcode": [BARCODE], "MusicBrainz/Track Id": [MB_RECORDING],
        "MusicBrainz/Album Id": [MB_RELEASE], "WM/IsCompilation": [True],
        "Description": [SPOTIFY_URL],
    }  # fmt: skip
    assert audio.tags is not None
    for key, value in values.items():
        audio.tags[key] = value


def _ape(path: Path) -> None:
    tags = APEv2()
    values = {
        "Title": TITLE, "Artist": ARTISTS, "Album": ALBUM, "Album Artist": ALBUM_ARTIST,
        "Track": f"{TRACK}/{TRACK_TOTAL}", "Disc": f"{DISC}/{DISC_TOTAL}", "Year": DATE,
        "Genre": GENRE, "ISRC": ISRC, "Label": LABEL, "CatalogNumber": CATALOG_NUMBER,
        "Barcode": BARCODE, "MUSICBRAINZ_TRACKID": MB_RECORDING,
        "MUSICBRAINZ_ALBUMID": MB_RELEASE, "Compilation": "1", "Comment": SPOTIFY_URL,
    }  # fmt: skip
    for key, value in values.items():
        tags[key] = value
    tags.save(path)


def _id3_tagged(path: Path, *, version: int) -> None:
    tags = id3.ID3()
    _id3_frames(tags)
    tags.save(path, v2_version=version, v23_sep=None)  # v2.3 with null-separated artists


def _id3v22_bytes() -> bytes:
    """An ID3v2.2 tag (3-letter frame ids, 6-byte frame headers), which mutagen cannot write."""
    frames = b""
    for frame_id, text in (("TT2", TITLE), ("TP1", ARTISTS[0]), ("TAL", ALBUM),
                           ("TRK", f"{TRACK}/{TRACK_TOTAL}"), ("TYE", DATE[:4])):  # fmt: skip
        body = b"\x01" + text.encode("utf-16")  # UTF-16 with BOM
        frames += frame_id.encode() + len(body).to_bytes(3, "big") + body
    size = len(frames)
    synchsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x02\x00\x00" + synchsafe + frames


def _id3v1_bytes() -> bytes:
    """A 128-byte ID3v1.1 tag (title, artist, album, year, comment, track, genre)."""

    def field(text: str, size: int) -> bytes:
        return text.encode("latin-1", "replace")[:size].ljust(size, b"\x00")

    return (
        b"TAG" + field("Silent Track v1", 30) + field(ARTISTS[0], 30) + field(ALBUM, 30)
        + field(DATE[:4], 4) + field("", 28) + b"\x00" + bytes([TRACK]) + bytes([26])
    )  # fmt: skip  # genre 26 = Ambient


def _dsf_bytes() -> bytes:
    """A mono DSF file of DSD silence (one 4096-byte block), without metadata."""
    block = 4096
    samples = block * 8  # one bit per sample
    fmt = struct.pack("<4sQIIIIIIQII", b"fmt ", 52, 1, 0, 1, 1, 2_822_400, 1, samples, block, 0)
    data = b"data" + struct.pack("<Q", 12 + block) + b"\x69" * block
    total = 28 + len(fmt) + len(data)
    return b"DSD " + struct.pack("<QQQ", 28, total, 0) + fmt + data


def _dsdiff_bytes() -> bytes:
    """A mono DSDIFF (Philips DSDIFF 1.5) file of DSD silence, 4096 bytes of samples."""

    def chunk(chunk_id: bytes, body: bytes) -> bytes:
        pad = b"\x00" if len(body) % 2 else b""
        return chunk_id + struct.pack(">Q", len(body)) + body + pad

    name = b"not compressed"
    prop = b"SND " + chunk(b"FS  ", struct.pack(">L", 2_822_400))
    prop += chunk(b"CHNL", struct.pack(">H", 1) + b"C   ")
    prop += chunk(b"CMPR", b"DSD " + bytes([len(name)]) + name)
    body = b"DSD " + chunk(b"FVER", struct.pack(">L", 0x01050000)) + chunk(b"PROP", prop)
    body += chunk(b"DSD ", b"\x69" * 4096)
    return b"FRM8" + struct.pack(">Q", len(body)) + body


def _midi_bytes() -> bytes:
    """A Standard MIDI File (format 0) of one silent half second: tempo, wait, end."""
    ticks = 96  # per quarter note; 500,000 us per quarter: 96 ticks = 0.5 s
    track = b"\x00\xff\x51\x03" + (500_000).to_bytes(3, "big")  # set tempo
    track += bytes([0x00, 0x90, 60, 0])  # note on, velocity 0 (silent)
    track += bytes([0x60, 0x80, 60, 0])  # note off 96 ticks later (mutagen times the last event)
    track += b"\x00\xff\x2f\x00"  # end of track
    header = b"MThd" + struct.pack(">LHHH", 6, 0, 1, ticks)
    return header + b"MTrk" + struct.pack(">L", len(track)) + track


def crafted() -> None:
    """The two files added later (DSDIFF, MIDI), without rewriting the others."""
    (OUT / "sample.dff").write_bytes(_dsdiff_bytes())
    dff: Any = DSDIFF(OUT / "sample.dff")
    dff.add_tags()
    _id3_frames(dff.tags)
    dff.save()
    (OUT / "untagged.mid").write_bytes(_midi_bytes())


def main() -> None:
    if "--crafted-only" in sys.argv:
        crafted()
        return
    OUT.mkdir(parents=True, exist_ok=True)
    crafted()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wav = work / "silence.wav"
        _silence_wav(wav)
        wav48 = work / "silence48.wav"
        _silence_wav(wav48, rate=48000, seconds=0.2)
        wav16 = work / "silence16.wav"
        _silence_wav(wav16, rate=16000, seconds=0.5)

        mp3 = work / "plain.mp3"
        _run("lame", "--quiet", "-b", "8", str(wav), str(mp3))
        for version in (3, 4):
            target = OUT / f"id3v2{version}.mp3"
            shutil.copy(mp3, target)
            _id3_tagged(target, version=version)
        cover = id3.ID3(OUT / "id3v24.mp3")
        cover.add(id3.APIC(encoding=3, mime="image/png", type=3, desc="", data=COVER_PNG))
        cover.save()
        (OUT / "id3v22.mp3").write_bytes(_id3v22_bytes() + mp3.read_bytes())
        (OUT / "id3v1.mp3").write_bytes(mp3.read_bytes() + _id3v1_bytes())

        _run("flac", "--silent", "-f", "-o", str(OUT / "sample.flac"), str(wav))
        _run("flac", "--silent", "-f", "--ogg", "-o", str(OUT / "sample.oga"), str(wav))
        _run("oggenc", "--quiet", "-q", "0", "-o", str(OUT / "sample.ogg"), str(wav))
        _run("opusenc", "--quiet", "--bitrate", "6", str(wav48), str(OUT / "sample.opus"))
        _run("speexenc", str(wav), str(OUT / "sample.spx"))
        for kind, cls in (("flac", FLAC), ("oga", OggFLAC), ("ogg", OggVorbis),
                          ("opus", OggOpus), ("spx", OggSpeex)):  # fmt: skip
            audio: Any = cls(OUT / f"sample.{kind}")
            if audio.tags is None:
                audio.add_tags()
            _vorbis(audio.tags)
            if kind == "flac":
                picture = Picture()
                picture.type, picture.mime, picture.data = 3, "image/png", COVER_PNG
                audio.add_picture(picture)
            audio.save()

        _ffmpeg(wav, OUT / "aac.m4a", "-c:a", "aac", "-b:a", "8k")
        _ffmpeg(wav, OUT / "alac.m4a", "-c:a", "alac")
        for name in ("aac.m4a", "alac.m4a"):
            m4a = MP4(OUT / name)
            if m4a.tags is None:
                m4a.add_tags()
            _mp4(m4a)
            m4a.save()

        _ffmpeg(wav, OUT / "sample.wma", "-c:a", "wmav2", "-b:a", "24k")
        asf = ASF(OUT / "sample.wma")
        _asf(asf)
        asf.save()

        _ffmpeg(wav, OUT / "sample.aiff", "-c:a", "pcm_s16be")
        _ffmpeg(wav, OUT / "sample.wav", "-c:a", "pcm_u8")
        _ffmpeg(wav, OUT / "sample.tta", "-c:a", "tta")
        _id3_tagged(OUT / "sample.tta", version=4)  # TTA keeps its ID3 tag in front
        (OUT / "sample.dsf").write_bytes(_dsf_bytes())
        for name, chunked in (("sample.aiff", AIFF), ("sample.wav", WAVE), ("sample.dsf", DSF)):
            chunked_audio: Any = chunked(OUT / name)  # these keep ID3 in a chunk or at the end
            chunked_audio.add_tags()
            _id3_frames(chunked_audio.tags)
            chunked_audio.save()
        TrueAudio(OUT / "sample.tta")  # checks it reads

        _run("wavpack", "-q", "-y", str(wav), "-o", str(OUT / "sample.wv"))
        _run("mpcenc", "--silent", "--overwrite", str(wav48), str(OUT / "sample.mpc"))
        for name in ("sample.wv", "sample.mpc"):
            _ape(OUT / name)

        _ffmpeg(wav48, OUT / "untagged.ac3", "-c:a", "ac3", "-b:a", "32k")
        _ffmpeg(wav, OUT / "untagged.aac", "-c:a", "aac", "-b:a", "8k", "-f", "adts")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:16} {path.stat().st_size:7,} bytes")


if __name__ == "__main__":
    main()
