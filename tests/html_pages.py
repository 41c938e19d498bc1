"""A hand-written news page (every word made up here) with the furniture real pages carry around an article.

``page()`` builds it: a cookie banner, a menu, a share bar, a newsletter box, related-story teasers, reader
comments and a footer around a six-paragraph story with its headline, byline and photo caption.
"""

BODY = [
    "RIVERTON — The city council voted 6-1 on Tuesday to turn the old rail yard into a park with a skate ramp, "
    "a splash pad and a community garden, ending a debate that has run for almost ten years.",
    "The $4.2 million plan will be paid for with a state grant and money the city set aside after it sold the "
    "yard's last warehouse in 2019, the council's budget office said in a report.",
    "“This is the biggest thing we have built for children in my lifetime,” said council member Rosa Delgado, "
    "who first proposed the park in 2015. “Families on the east side have waited long enough.”",
    "The only vote against the plan came from council member Tom Becker, who said the city should first fix the "
    "roads around the yard, where trucks still drive to the grain elevator every morning.",
    "“I like parks as much as anybody,” Becker said. “But a splash pad next to a truck route is a recipe for an "
    "accident, and I will keep saying so until the traffic plan is on the table.”",
    "Work is expected to begin in the spring, and the park should open in the summer of the following year, "
    "according to the parks department, which will hold a public meeting on the design next month.",
]
FURNITURE = {
    "cookie": "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    "newsletter": "Get the Riverton Daily newsletter in your inbox every morning. Sign up now, it is free.",
    "related": "City to repave Main Street next summer",
    "comment": "I have lived here forty years and never seen the council agree on anything so fast, good for them.",
    "footer": "Copyright 2024 Riverton Daily Media. All rights reserved. Privacy policy. Terms of use.",
}
MENU = (
    '<ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sports">Sports</a></li>'
    '<li><a href="/opinion">Opinion</a></li></ul>'
)
SHARE = '<a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email this story</a>'
RELATED = "".join(
    f'<div class="card"><h3><a href="/{i}">{title}</a></h3></div>'
    for i, title in enumerate(
        (FURNITURE["related"], "School board picks a new superintendent", "Farmers market returns to the square")
    )
)
COMMENTS = (
    f'<div class="comment"><p class="author">river_rat</p><p>{FURNITURE["comment"]}</p></div>'
    '<div class="comment"><p class="author">jen</p><p>Finally! My kids will love the splash pad, thanks to '
    "everyone who spoke at the meeting.</p></div>"
)


def page(
    body: list[str] = BODY,
    *,
    head: str = "",
    charset: str = "utf-8",
    extra_article: str = "",
    wrap_form: bool = False,
    title: str = "Council votes to turn rail yard into park",
) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    article = f"""<article class="story">
  <h1>{title}</h1>
  <p class="byline">By Dana Whitaker</p>
  <div class="share-bar">{SHARE}</div>
  <figure><img src="park.jpg" alt="The rail yard">
  <figcaption>The old rail yard in Riverton, where the park will be built.</figcaption></figure>
  {paragraphs}
  {extra_article}
</article>"""
    if wrap_form:
        article = f'<form id="aspnetForm" action="/story" method="post">{article}</form>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{title} | Riverton Daily</title>
<meta property="og:site_name" content="Riverton Daily">
<meta name="author" content="Dana Whitaker">
<meta property="article:published_time" content="2024-05-14T18:30:00Z">
{head}
</head><body>
<div class="cookie-banner">{FURNITURE["cookie"]} <button>Accept</button></div>
<header><nav>{MENU}</nav></header>
<main>
{article}
<div class="newsletter"><h3>Newsletter</h3><p>{FURNITURE["newsletter"]}</p></div>
<section class="related"><h2>Related stories</h2>{RELATED}</section>
<section id="comments" class="comments"><h2>2 comments</h2>{COMMENTS}</section>
</main>
<footer><p>{FURNITURE["footer"]}</p></footer>
</body></html>"""
