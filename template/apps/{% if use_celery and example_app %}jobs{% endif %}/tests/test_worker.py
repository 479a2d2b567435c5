"""The whole path through a real worker: API → Redis → worker → storage → API."""

import time

from .conftest import expected_csv


def test_an_export_runs_on_a_real_worker(celery_worker, auth_client, project, tasks):
    response = auth_client.post(f"/api/v1/projects/{project.pk}/exports/")
    assert response.status_code == 202, response.json()
    url = response["Location"]

    deadline = time.monotonic() + 15
    while (body := auth_client.get(url).json())["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline, f"the export did not finish: {body}"
        time.sleep(0.1)
    assert body["status"] == "succeeded", body
    assert (body["processed_rows"], body["total_rows"]) == (3, 3)

    download = auth_client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == expected_csv(project)
