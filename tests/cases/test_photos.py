"""Case photos over real HTTP: judged by their bytes, limited in size and number, added once per
client_id, shown without EXIF to everyone but the staff of the case, hidden outside the scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from tests.cases.factories import case_in
from wangge.cases.models import Case, CasePhoto, Department
from wangge.cases.photos import case_photo_add
from wangge.cases.services import case_transition

GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (34.0, 45.0, 12.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (113.0, 40.0, 1.0)}


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def png(size=(30, 20), noise=False) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, (20, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """40x20 pixels stored sideways (EXIF orientation 6: shown upright it is 20x40), with GPS."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "网格员手机"
    exif[ExifTags.Base.GPSInfo] = GPS
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(api, case, person, data, name="photo.jpg", client_id=None, claimed="image/jpeg", query=""):
    form = {"client_id": client_id} if client_id is not None else {}
    return api.post(f"/api/cases/{case.pk}/photos{query}", token=person.token, files={"file": (name, data, claimed)}, data=form)


def test_it_refuses_a_text_file_named_jpg(api, people, media):
    case = case_in(people, people.home_grid)
    response = upload(api, case, people.grid_worker, b"just some text, not a photo\n" * 10)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "file" and "JPEG" in response.json()["detail"]
    assert not CasePhoto.objects.filter(case=case).exists() and stored_files(media) == []


def test_it_takes_a_png_named_jpg_as_png_and_serves_it_with_safe_headers(api, people, media):
    case = case_in(people, people.home_grid)
    response = upload(api, case, people.grid_worker, png(), name="evidence.jpg", claimed="image/jpeg")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["content_type"], body["width"], body["height"], body["case_id"]) == ("image/png", 30, 20, case.pk)

    image = api.get(body["url"], token=people.grid_worker.token)
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Cache-Control"] == "private, no-store"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(image.content)).format == "PNG"

    listed = api.get(f"/api/cases/{case.pk}/photos", token=people.grid_worker.token).json()
    detail = api.get(f"/api/cases/{case.pk}", token=people.grid_worker.token).json()
    assert [p["id"] for p in listed] == [p["id"] for p in detail["photos"]] == [body["id"]]


def test_it_refuses_a_photo_over_the_size_limit_naming_it(api, people, media, settings):
    settings.WANGGE_CASE_PHOTO_MAX_BYTES = 2048
    case = case_in(people, people.home_grid)
    big = png((64, 64), noise=True)
    assert len(big) > 2048
    response = upload(api, case, people.grid_worker, big)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"
    assert "大小上限 2 KB" in response.json()["detail"]
    assert upload(api, case, people.grid_worker, png()).status_code == 201  # a small one still goes in


def test_it_refuses_an_image_with_too_many_pixels(api, people, media, settings):
    settings.WANGGE_CASE_PHOTO_MAX_PIXELS = 500
    case = case_in(people, people.home_grid)
    response = upload(api, case, people.grid_worker, png((30, 20)))
    assert response.status_code == 400 and "像素" in response.json()["detail"]


def test_it_refuses_more_photos_than_a_case_may_hold(api, people, media, settings):
    settings.WANGGE_CASE_PHOTOS_PER_CASE = 2
    case = case_in(people, people.home_grid)
    assert [upload(api, case, people.grid_worker, png()).status_code for _ in range(2)] == [201, 201]
    third = upload(api, case, people.grid_worker, png())
    assert third.status_code == 400 and "最多 2 张" in third.json()["detail"]
    assert CasePhoto.objects.filter(case=case).count() == 2 and len(stored_files(media)) == 4


def test_it_answers_the_same_client_id_with_the_first_photo(api, people, media):
    case = case_in(people, people.home_grid)
    first = upload(api, case, people.grid_worker, png(), client_id="p-1")
    again = upload(api, case, people.grid_worker, png((10, 10)), client_id="p-1")
    other = upload(api, case, people.grid_worker, png(), client_id="p-2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json() == first.json() and other.json()["id"] != first.json()["id"]
    assert CasePhoto.objects.filter(case=case).count() == 2 and len(stored_files(media)) == 4


def test_it_strips_the_location_for_the_reporter_but_keeps_the_original_for_the_grid_worker(api, people, media):
    case = case_in(people, people.home_grid, reporter=people.resident.user)
    sent = jpeg_with_gps()
    added = upload(api, case, people.resident, sent, name="IMG_0001.JPG")
    assert added.status_code == 201, added.text
    assert (added.json()["width"], added.json()["height"], added.json()["size"]) == (20, 40, len(sent))
    url = added.json()["url"]

    # The reporter asks for the original and gets the copy: upright, and with no EXIF at all.
    shown = api.get(url + "?original=1", token=people.resident.token)
    assert shown.status_code == 200 and shown.headers["Content-Type"] == "image/jpeg"
    assert shown.content != sent
    image = Image.open(io.BytesIO(shown.content))
    assert image.size == (20, 40)
    assert ExifTags.Base.GPSInfo not in image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info

    # The grid's worker gets the file as sent, GPS and all.
    original = api.get(url + "?original=1", token=people.grid_worker.token)
    assert original.status_code == 200 and original.content == sent
    assert Image.open(io.BytesIO(original.content)).getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (34.0, 45.0, 12.5)
    assert api.get(url, token=people.grid_worker.token).content == shown.content  # without asking: the copy


def test_it_hides_photos_from_another_grids_worker(api, people, media):
    case = case_in(people, people.home_grid)
    url = upload(api, case, people.grid_worker, png()).json()["url"]
    stranger = people.other_grid_worker
    assert api.get(url, token=stranger.token).status_code == 404
    assert api.get(url + "?original=1", token=stranger.token).status_code == 404
    assert api.get(f"/api/cases/{case.pk}/photos", token=stranger.token).status_code == 404
    assert upload(api, case, stranger, png()).status_code == 404
    assert CasePhoto.objects.filter(case=case).count() == 1


def test_it_lets_only_the_people_of_the_case_add_photos(api, people, media):
    case = case_in(people, people.home_grid)
    # The department handler sees every case, but this one is not dispatched to their department.
    refused = upload(api, case, people.department_handler, png())
    assert refused.status_code == 403 and "照片" in refused.json()["detail"]
    assert upload(api, case, people.community_official, png()).status_code == 201  # the dispatcher
    assert stored_files(media) and len(stored_files(media)) == 2


def test_it_refuses_photos_on_a_rejected_case(api, people, media):
    case = case_in(people, people.home_grid)
    case_transition(case=case, to=Case.Status.REJECTED, actor=people.community_official.user, reason="不属于受理范围")
    response = upload(api, case, people.grid_worker, png())
    assert response.status_code == 400 and "不予立案" in response.json()["detail"]


def test_it_leaves_no_files_behind_when_the_row_cannot_be_written(people, media):
    case = case_in(people, people.home_grid)
    Case.objects.filter(pk=case.pk).delete()  # gone between the lookup and the write
    with pytest.raises(Case.DoesNotExist):
        case_photo_add(case=case, actor=people.grid_worker.user, upload=SimpleUploadedFile("a.png", png()))
    assert stored_files(media) == []


def test_it_shows_photos_read_only_in_the_scoped_admin(client, people, media):
    official = people.community_official.user
    official.is_staff = official.is_superuser = True  # every model permission, still scoped
    official.save()
    mine, theirs = case_in(people, people.home_grid), case_in(people, people.other_grid)
    photo, _ = case_photo_add(case=mine, actor=people.grid_worker.user, upload=SimpleUploadedFile("a.png", png()))
    client.force_login(official)
    page = client.get(f"/admin/cases/case/{mine.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/api/cases/{mine.pk}/photos/{photo.pk}" in html and photo.sha256 in html
    assert photo.original.name not in html and photo.shown.name not in html  # no file links of the admin's own
    assert 'name="photos-0-client_id"' not in html  # nothing to edit
    assert client.get(f"/admin/cases/case/{theirs.pk}/change/").status_code == 302  # out of scope: "does not exist"
    assert client.post(f"/admin/cases/case/{mine.pk}/delete/").status_code == 403


def test_it_serves_no_photo_file_outside_the_api(api, people, media):
    case = case_in(people, people.home_grid, reporter=people.resident.user)
    upload(api, case, people.resident, jpeg_with_gps())
    photo = CasePhoto.objects.get(case=case)
    for path in (f"/media/{photo.original.name}", f"/{photo.original.name}", f"/static/{photo.original.name}", f"/media/{photo.shown.name}"):
        answer = api.get(path, token=people.grid_worker.token)
        assert answer.status_code == 404 and answer.content != (media / photo.original.name).read_bytes(), path


def test_it_takes_a_photo_larger_than_memory_uploads_up_to_the_limit(api, people, media, settings):
    case = case_in(people, people.home_grid)
    big = png((1100, 1000), noise=True)
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < len(big) < settings.WANGGE_CASE_PHOTO_MAX_BYTES  # streamed to a temporary file
    response = upload(api, case, people.grid_worker, big)
    assert response.status_code == 201, response.text
    assert (response.json()["size"], response.json()["width"]) == (len(big), 1100)
    assert api.get(response.json()["url"] + "?original=1", token=people.grid_worker.token).content == big


def test_it_lets_the_handler_of_the_dispatched_department_add_and_see_originals(api, people, media):
    case = case_in(people, people.home_grid, reporter=people.resident.user)
    url = upload(api, case, people.resident, jpeg_with_gps()).json()["url"]
    handler = people.department_handler
    assert api.get(url + "?original=1", token=handler.token).content != jpeg_with_gps()  # not their case yet
    department = Department.objects.create(code="photo_roads", name="市政局（照片）")
    department.handlers.add(handler.user)
    case_transition(case=case, to=Case.Status.ACCEPTED, actor=people.community_official.user)
    case_transition(case=case, to=Case.Status.DISPATCHED, actor=people.community_official.user, department=department)
    assert api.get(url + "?original=1", token=handler.token).content == jpeg_with_gps()
    assert upload(api, case, handler, png()).status_code == 201
