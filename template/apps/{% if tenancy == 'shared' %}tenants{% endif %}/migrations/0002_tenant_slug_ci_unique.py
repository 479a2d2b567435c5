import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="tenant",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("slug"),
                name="tenants_tenant_slug_ci_unique",
                violation_error_code="duplicate_slug",
                violation_error_message="An organization already has this slug.",
            ),
        ),
    ]
