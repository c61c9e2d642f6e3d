"""The agreement form's markup (templates/care/agreement_form.html): what a screen reader
announces for its groups of fields."""

import re

import pytest
from django.urls import reverse

from tests.care.test_team import assessed
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_fieldset_legend_repeats_the_label_of_a_field_inside_it(client, clinic):
    lena = make_user("lena", clinic)
    client.force_login(lena)

    page = client.get(reverse("care_agreement_new", args=[assessed(clinic, lena).pk])).text

    fieldsets = re.findall(r"<fieldset>(.*?)</fieldset>", page, re.S)
    assert fieldsets
    for fieldset in fieldsets:
        legend = text_of(re.search(r"<legend>(.*?)</legend>", fieldset, re.S)[1])
        labels = [text_of(label) for label in re.findall(r"<label[^>]*>(.*?)</label>", fieldset)]
        assert labels and legend not in labels, (legend, labels)
    assert "Nästa steg och kontakt" in page
