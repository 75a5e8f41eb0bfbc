"""The Atom feed of the news."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from bigscience_portal.markdown import render_markdown

from .selectors import published_news


class NewsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = _("News of the research workshop on very large language models.")

    # Absolute links from SITE_URL: the syndication framework would otherwise prefix django.contrib.sites'
    # domain (example.com unless someone edits the Site row).
    def title(self):
        return _("%(site)s news") % {"site": settings.SITE_NAME}

    def link(self):
        return f"{settings.SITE_URL}{reverse('newsletter:news_list')}"

    def feed_url(self):
        return f"{settings.SITE_URL}{reverse('newsletter:news_feed')}"

    def item_link(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

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
