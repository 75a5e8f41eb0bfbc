"""The Atom feed of the news."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from bigscience_portal.markdown import render_markdown

from .selectors import published_news


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = "BigScience workshop news"
    subtitle = "News of the BigScience research workshop on very large language models."
    link = "/news/"

    def items(self):
        return published_news()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.body)  # sanitised: no script reaches a feed reader

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.display_name if item.author else None

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"
