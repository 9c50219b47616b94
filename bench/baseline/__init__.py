"""The topic-page bench's Django settings and URLs: the project's own, plus one bare view
(``/bench/baseline/``) that the bench compares the topic page with."""
