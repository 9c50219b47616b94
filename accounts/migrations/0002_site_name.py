from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    # allauth signs its emails with the Site's name and builds links with its domain.
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        id=settings.SITE_ID,
        defaults={"name": "OKX Community", "domain": urlsplit(settings.SITE_URL).netloc},
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
