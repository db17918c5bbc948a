from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dangvu.reviews"
    label = "reviews"
    verbose_name = "Đánh giá, xếp loại chất lượng"

    def ready(self) -> None:
        from dangvu.reviews import metrics  # noqa: F401  (registers the review metrics)
