from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "dangvu.metrics"
    label = "metrics"
    verbose_name = "Số liệu"
