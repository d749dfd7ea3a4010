"""What an uploaded file really is, judged by its first bytes rather than its name."""

from pathlib import PurePath

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# content type -> (file extension, names people give such files)
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "image/png": (".png", frozenset({".png"})),
    "image/jpeg": (".jpg", frozenset({".jpg", ".jpeg", ".jpe"})),
    "image/gif": (".gif", frozenset({".gif"})),
    "image/webp": (".webp", frozenset({".webp"})),
    "application/pdf": (".pdf", frozenset({".pdf"})),
}
KNOWN_SUFFIXES = frozenset().union(*(names for _, names in KINDS.values()))


def sniff(head: bytes) -> str | None:
    """The content type the bytes start like (PNG, JPEG, GIF, WebP, PDF), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def name_matches(name: str, content_type: str) -> bool:
    """False when the name claims another known kind (a PDF called photo.png)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        return True
    return suffix in KINDS[content_type][1]


def is_image(content_type: str) -> bool:
    return content_type.startswith("image/")
