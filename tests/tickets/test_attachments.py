"""Attachments are judged by their content: real JPEG, PNG and WebP images (re-encoded, their
metadata dropped) and real PDFs; anything else, whatever its name, is refused with a message
that says which file and why. Stored files live outside MEDIA_ROOT."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.uploads import image_bytes, image_upload, text_upload
from tickets.attachments import MAX_FILES, attachment_verify, attachments_verify
from tickets.models import Attachment

NOT_ACCEPTED = ("“{}” is not a file we accept: attach JPEG, PNG or WebP images or PDF "
                "documents.")


def pdf_bytes() -> bytes:
    """A real one-page PDF, as Pillow writes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PDF")
    return buffer.getvalue()


def refusal(*uploads) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        attachments_verify(uploads=uploads)
    return caught.value.messages


@pytest.mark.parametrize(("image_format", "extension", "content_type"), [
    ("JPEG", "jpg", "image/jpeg"), ("PNG", "png", "image/png"), ("WEBP", "webp", "image/webp"),
])
def test_real_images_are_accepted_and_reencoded(image_format, extension, content_type):
    [verified] = attachments_verify(uploads=[image_upload(f"shot.{extension}", image_format)])
    assert verified.name == f"shot.{extension}"
    assert verified.content_type == content_type
    assert verified.content.name != f"shot.{extension}"  # stored under a random name
    assert Image.open(io.BytesIO(verified.content.read())).format == image_format


def test_reencoding_drops_the_photos_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam 3000"  # camera maker; GPS tags go the same way
    upload = SimpleUploadedFile("holiday.jpg", image_bytes("JPEG", exif=exif.tobytes()))
    assert b"SpyCam 3000" in upload.read()

    verified = attachment_verify(upload=upload)
    assert b"SpyCam 3000" not in verified.content.read()


def test_the_name_keeps_the_users_words_with_the_real_extension():
    cases = [(image_upload("../../etc/passwd.png"), "passwd.png"),
             (image_upload("photo.jpg", "PNG"), "photo.png"),
             (image_upload("<script>x.png"), "scriptx.png"),
             (SimpleUploadedFile("报告.pdf", pdf_bytes()), "报告.pdf"),
             (SimpleUploadedFile("***", pdf_bytes()), "file.pdf")]
    for upload, name in cases:
        assert attachment_verify(upload=upload).name == name


def test_a_real_pdf_is_accepted_as_it_is():
    content = pdf_bytes()
    verified = attachment_verify(upload=SimpleUploadedFile("statement.pdf", content))
    assert (verified.name, verified.content_type) == ("statement.pdf", "application/pdf")
    assert verified.content.read() == content
    assert verified.content.name.endswith(".pdf") and verified.content.name != "statement.pdf"


@pytest.mark.parametrize("ending", [b"\n", b"\r\n  \n", b"\0\0\0"])
def test_a_pdf_may_end_with_whitespace_or_padding(ending):
    attachment_verify(upload=SimpleUploadedFile("statement.pdf", pdf_bytes() + ending))


@pytest.mark.parametrize(("name", "content"), [
    ("cut.pdf", pdf_bytes()[:-40]),  # cut short in transit
    ("fake.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>\n"),
    ("fake2.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n"),
])
def test_a_pdf_header_without_a_pdf_ending_is_refused(name, content):
    assert refusal(SimpleUploadedFile(name, content)) == [f"“{name}” is a damaged PDF."]


@pytest.mark.parametrize(("name", "content"), [
    ("setup.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200),  # .exe
    ("invoice.pdf", b"<!doctype html><script>alert(document.cookie)</script>"),
    ("invoice.png", b"<html><body onload=alert(1)></body></html>"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'),
    ("empty.png", b""),
])
def test_anything_else_is_refused_whatever_its_name(name, content):
    assert refusal(text_upload(name, content)) == [NOT_ACCEPTED.format(name)]


def test_gif_is_refused_too():
    assert refusal(image_upload("funny.gif", "GIF")) == [NOT_ACCEPTED.format("funny.gif")]


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 1000
    content = pdf_bytes() + b" " * 1000
    assert refusal(SimpleUploadedFile("big.pdf", content)) == [
        f"“big.pdf” is too large ({len(content) / 1024:.1f}\xa0KB). The limit is "
        "1000\xa0bytes."]


def test_at_most_max_files_per_message():
    assert len(attachments_verify(uploads=[image_upload(f"{n}.png") for n in range(MAX_FILES)])
               ) == MAX_FILES
    too_many = [image_upload(f"{n}.png") for n in range(MAX_FILES + 1)]
    assert refusal(*too_many) == [f"Attach at most {MAX_FILES} files to one message."]


def test_one_bad_file_refuses_the_whole_message():
    assert refusal(image_upload("good.png"), text_upload("bad.png")) == [
        NOT_ACCEPTED.format("bad.png")]


def test_nothing_attached_is_fine():
    assert attachments_verify(uploads=None) == []
    assert attachments_verify(uploads=[]) == []


@pytest.mark.django_db
def test_attachments_are_stored_privately_with_the_message(make_ticket, settings):
    pdf = pdf_bytes()
    files = attachments_verify(uploads=[image_upload("screen.png"),
                                        SimpleUploadedFile("tx.pdf", pdf)])
    ticket = make_ticket(files=files)

    stored = list(Attachment.objects.filter(message__ticket=ticket))
    assert [(a.name, a.content_type) for a in stored] == [
        ("screen.png", "image/png"), ("tx.pdf", "application/pdf")]
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for attachment in stored:
        path = Path(attachment.file.path).resolve()
        assert path.is_relative_to(private) and path.stat().st_size == attachment.size
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        with pytest.raises(ValueError):  # no public URL: only the ticket views serve it
            attachment.file.url  # noqa: B018
    assert stored[1].file.read() == pdf
