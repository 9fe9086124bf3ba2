"""Progress photos: what is stored (no metadata, turned upright, resized), what is refused, who can
see them, and that deleting a photo or an account removes the files."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from accounts.services import account_delete_request, account_purge_expired
from accounts.tests.factories import OrganizationFactory, UserFactory
from body import photo_selectors, photo_services, services
from body.integrations import images, photo_storage
from body.models import ProgressPhoto
from body.tests.photos import GPS_IFD, image_bytes, jpeg_with_exif, upload

DAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def photo_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def add_photo(user, data: bytes | None = None, taken_on: dt.date = DAY, pose: str = "FRONT") -> ProgressPhoto:
    data = data if data is not None else jpeg_with_exif()
    return photo_services.photo_upload(
        user=user, upload=io.BytesIO(data), size=len(data), taken_on=taken_on, pose=pose, today=DAY
    )


# --- What is stored --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stored_bytes_have_no_exif_gps_or_xmp_and_are_turned_upright(photo_dir, django_assert_num_queries):
    user = UserFactory()
    original = jpeg_with_exif(size=(300, 200), orientation=6)
    assert b"SpyCam" in original and b"secret-place" in original
    with django_assert_num_queries(3):  # savepoint, insert, release
        photo = add_photo(user, original)
    files = stored_files(photo_dir)
    assert len(files) == 2
    for path in files:
        data = path.read_bytes()
        assert b"Exif" not in data and b"SpyCam" not in data and b"secret-place" not in data
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get_ifd(GPS_IFD) == {}
        assert "xmp" not in stored.info and "exif" not in stored.info
    # Orientation 6 means "turn 90° clockwise": the 300 × 200 pixels are stored 200 × 300.
    assert (photo.width, photo.height) == (200, 300)
    image = Image.open(io.BytesIO(photo_storage.read(photo.image))).convert("RGB")
    # The blue mark was top-left before turning; turned clockwise it is top-right.
    r, _g, b = image.getpixel((195, 5))
    assert b > 150 and r < 100
    thumb = Image.open(io.BytesIO(photo_storage.read(photo.thumbnail)))
    assert max(thumb.size) <= images.THUMB_EDGE


@pytest.mark.django_db
def test_large_photos_are_resized_and_thumbnailed():
    photo = add_photo(UserFactory(), image_bytes("JPEG", size=(4000, 3000)))
    assert (photo.width, photo.height) == (2048, 1536)
    assert Image.open(io.BytesIO(photo_storage.read(photo.thumbnail))).size == (480, 360)


@pytest.mark.django_db
def test_a_large_jpeg_decoded_at_a_smaller_scale_keeps_its_size_turn_and_no_metadata():
    """5000 × 4000 with orientation 6: decoded at half scale (2500 × 2000, still past 2048), then
    resized, turned and stripped like any photo."""
    photo = add_photo(UserFactory(), jpeg_with_exif(size=(5000, 4000), orientation=6))
    assert (photo.width, photo.height) == (1638, 2048)  # upright: the long edge is the height
    data = photo_storage.read(photo.image)
    assert b"SpyCam" not in data and b"secret-place" not in data
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (1638, 2048)
    # The blue mark was top-left (the left half, the top quarter); turned clockwise it is top-right.
    r, _g, b = image.getpixel((1600, 40))
    assert b > 150 and r < 100
    r, _g, b = image.getpixel((40, 2000))
    assert r > 150 and b < 100


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "RGBA"), ("WEBP", "RGB"), ("HEIF", "RGB")])
def test_png_webp_and_heic_are_taken_and_stored_as_jpeg(fmt, mode):
    photo = add_photo(UserFactory(), image_bytes(fmt, mode=mode))
    assert Image.open(io.BytesIO(photo_storage.read(photo.image))).format == "JPEG"
    assert (photo.width, photo.height) == (120, 80)


@pytest.mark.django_db
def test_file_names_are_random_and_say_nothing(photo_dir):
    user = UserFactory()
    first, second = add_photo(user), add_photo(user)
    names = [first.image, first.thumbnail, second.image, second.thumbnail]
    assert len(set(names)) == 4
    for name in names:
        assert re.fullmatch(r"[0-9a-f]{4}/[0-9a-f]{32}\.jpg", name), name
        assert str(user.pk).replace("-", "") not in name and str(first.pk).replace("-", "") not in name
    # No URL serves the folder: only the access-checked view answers.
    client_url = f"/media/{first.image}"
    from django.test import Client

    assert Client().get(client_url).status_code == 404


# --- What is refused -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "size", "message"),
    [
        (b"x", images.MAX_UPLOAD_BYTES + 1, "That file is 20 MB; photos can be up to 20 MB."),
        (b"", 0, "That file is empty."),
        (b"%PDF-1.4 not a photo", 20, "That file is not a photo we can read: use JPEG, PNG, WebP or HEIC."),
        (image_bytes("GIF"), None, "Photos can be JPEG, PNG, WebP or HEIC."),
        (jpeg_with_exif()[:600], None, "That photo is damaged or cut short; try another."),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_store_nothing(photo_dir, data, size, message):
    user = UserFactory()
    with pytest.raises(ValidationError) as caught:
        photo_services.photo_upload(
            user=user, upload=io.BytesIO(data), size=size or len(data), taken_on=DAY, pose="FRONT", today=DAY
        )
    assert caught.value.message_dict["image"] == [message]
    assert stored_files(photo_dir) == [] and not ProgressPhoto.objects.exists()


@pytest.mark.django_db
def test_a_decompression_bomb_is_refused_before_decoding(photo_dir):
    bomb = image_bytes("PNG", size=(12_000, 12_000), mode="RGB")  # 144 MP of one colour: a few KB
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationError) as caught:
        add_photo(UserFactory(), bomb)
    assert caught.value.message_dict["image"] == [
        "That image is too large to open safely (over 50 megapixels)."
    ]
    assert stored_files(photo_dir) == []


@pytest.mark.django_db
def test_upload_page_shows_the_reason_and_saves_nothing(client, photo_dir):
    user = UserFactory()
    client.force_login(user)
    bomb = image_bytes("PNG", size=(12_000, 12_000))
    response = client.post(
        reverse("body:photos"),
        {
            "image": upload(bomb, "big.png", "image/png"),
            "taken_on": timezone.localdate().isoformat(),
            "pose": "FRONT",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and "50 megapixels" in html
    assert stored_files(photo_dir) == []


@pytest.mark.django_db
def test_upload_form_asks_the_phone_camera(client):
    client.force_login(UserFactory())
    html = client.get(reverse("body:photos")).content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


# --- Who sees them ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_sees_the_photo_and_others_get_404(client):
    organization = OrganizationFactory()
    owner = UserFactory(organization=organization, role=Role.MEMBER)
    coach = UserFactory(organization=organization, role=Role.COACH)
    stranger = UserFactory()
    photo = add_photo(owner)
    url = reverse("body:photo_image", kwargs={"photo_id": photo.pk})
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert response.content == photo_storage.read(photo.image)
    for viewer in (stranger, coach):
        client.force_login(viewer)
        assert client.get(url).status_code == 404
    # The member shares with their coach: the coach sees it, still can't delete it.
    services.sharing_update(user=owner, photos_with_coach=True)
    assert client.get(url).status_code == 200
    assert client.get(reverse("body:member_photos", kwargs={"member_id": owner.pk})).status_code == 200
    client.post(reverse("body:photo_delete", kwargs={"photo_id": photo.pk}))
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("body:member_photos", kwargs={"member_id": owner.pk})).status_code == 404


@pytest.mark.django_db
def test_compare_two_days_side_by_side_older_first(client):
    user = UserFactory()
    later = add_photo(user, taken_on=DAY)
    earlier = add_photo(user, taken_on=DAY - dt.timedelta(days=60))
    client.force_login(user)
    response = client.get(reverse("body:photo_compare"), {"a": later.pk, "b": earlier.pk})
    html = response.content.decode()
    assert response.status_code == 200
    first = html.index(reverse("body:photo_image", kwargs={"photo_id": earlier.pk}))
    second = html.index(reverse("body:photo_image", kwargs={"photo_id": later.pk}))
    assert first < second
    assert "60 days apart." in html
    other = add_photo(UserFactory())
    assert client.get(reverse("body:photo_compare"), {"a": later.pk, "b": other.pk}).status_code == 404


# --- Deleting --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_a_photo_removes_its_files(client, photo_dir, django_capture_on_commit_callbacks):
    user = UserFactory()
    photo = add_photo(user)
    assert len(stored_files(photo_dir)) == 2
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("body:photo_delete", kwargs={"photo_id": photo.pk}))
    assert response.status_code == 302
    assert not ProgressPhoto.objects.exists() and stored_files(photo_dir) == []


@pytest.mark.django_db
def test_purging_an_account_past_grace_removes_its_photos_from_storage(
    photo_dir, django_capture_on_commit_callbacks
):
    user = UserFactory()
    keeper = UserFactory()
    add_photo(user)
    add_photo(user)
    kept = add_photo(keeper)
    account_delete_request(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert account_purge_expired() == 0  # within the grace period: nothing goes
    assert len(stored_files(photo_dir)) == 6
    with django_capture_on_commit_callbacks(execute=True):
        assert account_purge_expired(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert [p.relative_to(photo_dir).as_posix() for p in stored_files(photo_dir)] == sorted(
        [kept.image, kept.thumbnail]
    )


@pytest.mark.django_db
def test_export_selector_streams_each_photo():
    user = UserFactory()
    photo = add_photo(user, pose="SIDE")
    from body.selectors import photo_files_for_export

    [exported] = list(photo_files_for_export(user))
    assert exported.filename == f"2026-06-01-side-{str(photo.pk)[:8]}.jpg"
    assert exported.read() == photo_storage.read(photo.image)
    assert list(photo_selectors.photo_files_for_export(user=UserFactory())) == []


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_cut_off_while_it_is_read(client, photo_dir):
    client.force_login(UserFactory())
    big = upload(b"\xff\xd8" + b"0" * (images.MAX_UPLOAD_BYTES + 10), "huge.jpg")
    response = client.post(
        reverse("body:photos"), {"image": big, "taken_on": timezone.localdate().isoformat(), "pose": "FRONT"}
    )
    assert response.status_code == 413
    assert "That file is over 20 MB; photos can be up to 20 MB." in response.content.decode()
    assert stored_files(photo_dir) == [] and not ProgressPhoto.objects.exists()


@pytest.mark.django_db
def test_a_request_declaring_too_much_is_refused_before_reading(client):
    client.force_login(UserFactory())
    response = client.generic(
        "POST",
        reverse("body:photos"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(images.MAX_UPLOAD_BYTES * 2),
    )
    assert response.status_code == 413 and "photos can be up to 20 MB" in response.content.decode()


@pytest.mark.django_db
def test_the_upload_still_needs_its_csrf_token(photo_dir):
    from django.test import Client

    user = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    data = jpeg_with_exif()
    response = strict.post(
        reverse("body:photos"),
        {"image": upload(data), "taken_on": timezone.localdate().isoformat(), "pose": "FRONT"},
    )
    assert response.status_code == 403
    assert stored_files(photo_dir) == [] and not ProgressPhoto.objects.exists()


@pytest.mark.django_db
def test_a_heic_with_exif_and_gps_is_stored_without_them(photo_dir):
    exif = Image.Exif()
    exif[0x010F] = "SpyPhone"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0)})
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(out, format="HEIF", exif=exif.tobytes())
    assert b"SpyPhone" in out.getvalue()
    add_photo(UserFactory(), out.getvalue())
    for path in stored_files(photo_dir):
        data = path.read_bytes()
        assert b"SpyPhone" not in data and b"Exif" not in data


@pytest.mark.django_db
def test_gallery_queries_do_not_grow_with_photos(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    add_photo(user)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("body:photos"))
    for days_ago in range(1, 8):
        add_photo(user, taken_on=DAY - dt.timedelta(days=days_ago))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("body:photos")).status_code == 200


@pytest.mark.django_db
def test_photo_delete_is_one_delete(django_assert_num_queries):
    user = UserFactory()
    photo = add_photo(user)
    with django_assert_num_queries(3):  # savepoint, delete the row, release (files on commit)
        photo_services.photo_delete(user=user, photo=photo)


@pytest.mark.django_db
def test_sharing_is_off_until_the_lifter_turns_it_on(client):
    user = UserFactory()
    client.force_login(user)
    assert not photo_selectors.shares_photos(user=user)
    response = client.post(reverse("body:photo_sharing"), {"photos_with_coach": "on"}, follow=True)
    assert "Your coach can see your progress photos now." in response.content.decode()
    assert photo_selectors.shares_photos(user=user)
    client.post(reverse("body:photo_sharing"), {})
    assert not photo_selectors.shares_photos(user=user)


@pytest.mark.django_db
def test_uploads_are_rate_limited_per_lifter(client, settings, photo_dir):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "photo_upload": "2/h"}
    client.force_login(UserFactory())
    statuses = []
    for _ in range(3):
        data = {
            "image": upload(jpeg_with_exif()),
            "taken_on": timezone.localdate().isoformat(),
            "pose": "FRONT",
        }
        statuses.append(client.post(reverse("body:photos"), data).status_code)
    assert statuses == [302, 302, 429]
    assert ProgressPhoto.objects.count() == 2
    assert client.get(reverse("body:photos")).status_code == 200  # reading is not limited
