"""generate_demo_content: a synthetic catalogue for benchmarks, never over real content."""

import pytest
from django.core.management import CommandError, call_command

from guides.models import EligibilityCriterion, Jurisdiction, Route


def test_it_refuses_a_database_with_real_content(seeded):
    with pytest.raises(CommandError, match="not synthetic"):
        call_command("generate_demo_content", routes=5)
    assert not Route.objects.filter(name__startswith="Synthetic").exists()


def test_it_fills_an_empty_database_with_marked_routes_that_pages_show(
    client, db, no_page_cache, django_assert_num_queries
):
    call_command("generate_demo_content", routes=30, jurisdictions=3, verbosity=0)
    routes = Route.objects.published()
    assert routes.count() == 30
    assert all(route.name.startswith("Synthetic") for route in routes)
    assert Jurisdiction.objects.filter(short_name__startswith="Synthetic").count() == 3
    assert EligibilityCriterion.objects.count() == 90
    address = routes.first().get_absolute_url()
    with django_assert_num_queries(8):  # no countries to read
        page = client.get(address)
    assert page.status_code == 200
    assert "Synthetic" in page.content.decode()
    assert "Synthetic step 2" in page.content.decode()  # its stored parts were written
    call_command("generate_demo_content", routes=5, jurisdictions=1, verbosity=0)
    assert Route.objects.count() == 35
