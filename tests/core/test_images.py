import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import image_verify_and_encode
from tests.uploads import image_bytes, image_upload, text_upload

LIMIT = 5 * 1024 * 1024
INVALID = "This file is not a valid image. Upload a JPEG, PNG or WebP image."
WRONG_FORMAT = "Upload a JPEG, PNG or WebP image. Other formats are not accepted."


def encode(upload, *, max_bytes=LIMIT, max_side=2000, square=False):
    return image_verify_and_encode(upload=upload, max_bytes=max_bytes, max_side=max_side,
                                   square=square)


def opened(content_file) -> Image.Image:
    return Image.open(io.BytesIO(content_file.read()))


def refusal(upload, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        encode(upload, **kwargs)
    return caught.value


@pytest.mark.parametrize(("image_format", "extension"), [
    ("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"),
])
def test_supported_formats_are_reencoded_with_their_extension(image_format, extension):
    result = encode(image_upload(f"upload.{extension}", image_format))
    assert result.name.endswith(f".{extension}")
    assert result.name != f"upload.{extension}"  # a fresh random name, not the user's
    assert opened(result).format == image_format


@pytest.mark.parametrize(("name", "image_format", "extension"), [
    ("photo.jpg", "PNG", "png"),
    ("photo.png", "JPEG", "jpg"),
    ("photo.exe", "WEBP", "webp"),
])
def test_extension_comes_from_the_real_format_not_the_name(name, image_format, extension):
    result = encode(image_upload(name, image_format))
    assert result.name.endswith(f".{extension}")
    assert opened(result).format == image_format


def test_gif_is_refused():
    error = refusal(image_upload("funny.gif", "GIF"))
    assert error.code == "format"
    assert error.messages == [WRONG_FORMAT]


@pytest.mark.parametrize("name", ["logo.png", "logo.svg"])
def test_svg_is_refused(name):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    error = refusal(text_upload(name, svg))
    assert error.messages == [INVALID]


def test_garbage_named_jpg_is_refused():
    error = refusal(text_upload("photo.jpg", b"\xff\xd8\xff\xe0 definitely not a jpeg" * 10))
    assert error.messages == [INVALID]


def test_truncated_image_is_refused():
    buffer = io.BytesIO()
    Image.frombytes("L", (200, 200), os.urandom(200 * 200)).save(buffer, format="PNG")
    data = buffer.getvalue()
    error = refusal(SimpleUploadedFile("cut.png", data[: len(data) // 2]))
    assert error.messages == [INVALID]


def test_too_large_file_is_refused_with_its_size_and_the_limit():
    upload = image_upload("big.png")
    error = refusal(upload, max_bytes=100)
    assert error.code == "too_large"
    assert error.messages == [
        f"The image is too large ({upload.size}\xa0bytes). The limit is 100\xa0bytes."
    ]


def test_image_with_too_many_pixels_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")  # small file, 48 megapixels
    error = refusal(SimpleUploadedFile("bomb.png", buffer.getvalue()))
    assert error.messages == ["The image has too many pixels."]


def test_exif_metadata_is_removed_and_orientation_applied():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90° to display
    exif[0x8825] = {2: (52.0, 13.0, 0.0)}  # GPS latitude
    upload = image_upload("phone.jpg", "JPEG", size=(40, 20), exif=exif.tobytes())
    assert Image.open(upload).getexif()  # the precondition: the upload has EXIF

    upload.seek(0)
    data = encode(upload).read()
    assert b"SpyCam" not in data
    result = Image.open(io.BytesIO(data))
    assert dict(result.getexif()) == {}
    assert result.size == (20, 40)


def test_data_smuggled_after_the_image_is_dropped():
    data = image_bytes("PNG") + b"<?php system($_GET['c']); ?><script>alert(1)</script>"
    result = encode(SimpleUploadedFile("polyglot.png", data)).read()
    assert b"<?php" not in result
    assert b"<script>" not in result


def test_square_crops_to_the_requested_size():
    result = opened(encode(image_upload("wide.png", size=(300, 100)), max_side=64, square=True))
    assert result.size == (64, 64)


def test_large_image_is_shrunk_within_max_side_keeping_proportions():
    result = opened(encode(image_upload("wide.jpg", "JPEG", size=(800, 200)), max_side=400))
    assert result.size == (400, 100)


def test_small_image_is_not_enlarged():
    result = opened(encode(image_upload("tiny.png", size=(30, 20)), max_side=400))
    assert result.size == (30, 20)


def test_transparent_png_keeps_its_alpha():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 0)).save(buffer, format="PNG")
    result = opened(encode(SimpleUploadedFile("clear.png", buffer.getvalue())))
    assert result.mode == "RGBA"
    assert result.getpixel((0, 0))[3] == 0
