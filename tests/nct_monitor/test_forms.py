"""GOV.UK form rendering."""

from __future__ import annotations

from nct_monitor.forms import Form, MoneyField


class AmountForm(Form):
    amount = MoneyField(label="Amount")


def test_a_widgets_own_width_class_is_kept_beside_the_govuk_class():
    html = str(AmountForm()["amount"])

    assert 'class="govuk-input--width-10 govuk-input"' in html
