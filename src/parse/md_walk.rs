//! One walk over a Markdown body's events (`markdown::render`): heading
//! ids and the table of contents, links and images resolved or marked,
//! raw HTML noted for the sanitiser, footnotes defined twice left out; at
//! the end the HTML and everything found on the way.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::markdown::{ID_ATTR, Markdown, MarkdownIssue, MdContext, nest_toc, rewrite};
use super::md_photos;
use crate::slug;

/// One walk over a body's events: what it has seen so far and the events
/// it hands on to the HTML writer.
pub(super) struct Walk<'a, 'c> {
    ctx: &'c MdContext<'c>,
    raw_as_text: bool,
    md: Markdown,
    plain: String,
    events: Vec<Event<'a>>,
    taken_ids: slug::TakenIds,
    /// Heading being read: (index of its Start event, level, explicit id, text).
    heading: Option<(usize, HeadingLevel, Option<String>, String)>,
    flat_toc: Vec<(u8, String, String)>,
    /// Image being read: (src, title, alt).
    image: Option<(String, String, String)>,
    /// Links whose URL was refused, whose end is still to come.
    dropped_links: usize,
    /// Raw HTML seen: the body goes through the sanitiser.
    raw_html: bool,
    /// Footnote labels defined; a second definition of one is left out (it
    /// would give two elements the same id), `skipped` deep while inside it.
    footnotes: HashSet<String>,
    skipped: usize,
    cursor: crate::textpos::Cursor<'a>,
}

impl<'a, 'c> Walk<'a, 'c> {
    pub(super) fn new(body: &'a str, ctx: &'c MdContext<'c>, raw_as_text: bool) -> Self {
        Walk {
            ctx,
            raw_as_text,
            md: Markdown::default(),
            plain: String::new(),
            events: Vec::new(),
            taken_ids: slug::TakenIds::default(),
            heading: None,
            flat_toc: Vec::new(),
            image: None,
            dropped_links: 0,
            raw_html: false,
            footnotes: HashSet::new(),
            skipped: 0,
            cursor: crate::textpos::Cursor::new(body),
        }
    }

    /// Line and column in the file of a byte offset in the body.
    fn pos(&mut self, offset: usize) -> (u32, u32) {
        let (l, c) = self.cursor.locate(offset);
        (self.ctx.body_line + l - 1, c)
    }

    /// One event, starting at byte `at` of the body.
    pub(super) fn event(&mut self, ev: Event<'a>, at: usize) {
        if self.skipped > 0 {
            match ev {
                Event::Start(Tag::FootnoteDefinition(_)) => self.skipped += 1,
                Event::End(TagEnd::FootnoteDefinition) => self.skipped -= 1,
                _ => {}
            }
            return;
        }
        if self.image.is_some() {
            self.in_image(ev);
            return;
        }
        match ev {
            Event::Start(Tag::FootnoteDefinition(label))
                if !self.footnotes.insert(label.to_string()) =>
            {
                self.second_footnote(&label, at);
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                let explicit = id.map(|s| s.to_string());
                self.heading = Some((self.events.len(), level, explicit, String::new()));
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => self.heading_end(level),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link(link_type, &dest_url, title, id, at),
            Event::End(TagEnd::Link) if self.dropped_links > 0 => self.dropped_links -= 1,
            Event::Html(t) | Event::InlineHtml(t) if self.raw_as_text => {
                self.plain.push_str(&t);
                self.events.push(Event::Text(t));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw_html = true;
                self.events.push(ev);
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let (line, col) = self.pos(at);
                let src = rewrite(&dest_url, self.ctx, &mut self.md, line, col, true);
                self.image = Some((src.unwrap_or_default(), title.to_string(), String::new()));
            }
            Event::Start(Tag::Table(a)) => {
                self.events
                    .push(Event::Html("<div class=\"table-wrap\">\n".into()));
                self.events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(done) => self.task_marker(done),
            Event::Text(t) => {
                self.text(&t);
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.text(&t);
                self.events.push(Event::Code(t));
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => {
                self.plain.push('\n');
                self.events.push(ev);
            }
            other => self.events.push(other),
        }
    }

    /// Text, for the plain text and the heading being read.
    fn text(&mut self, t: &str) {
        if let Some(h) = self.heading.as_mut() {
            h.3.push_str(t);
        }
        self.plain.push_str(t);
    }

    /// Inside an image: its words are its alt text; at its end the `<img>`.
    fn in_image(&mut self, ev: Event<'a>) {
        match ev {
            Event::End(TagEnd::Image) => {
                let (src, title, alt) = self.image.take().unwrap_or_default();
                if src.is_empty() {
                    // Refused or missing: the words stay, the picture goes.
                    self.events.push(Event::Text(alt.into()));
                    return;
                }
                let mut tag = String::from("<img src=\"");
                let _ = escape_href(&mut tag, &src);
                tag.push_str("\" alt=\"");
                let _ = escape_html(&mut tag, &alt);
                tag.push('"');
                if !title.is_empty() {
                    tag.push_str(" title=\"");
                    let _ = escape_html(&mut tag, &title);
                    tag.push('"');
                }
                // Marked for the view, which puts in the image's sizes,
                // srcset and loading (src/images/body.rs).
                tag.push_str(" data-zhibu-img>");
                self.events.push(Event::InlineHtml(tag.into()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push_str(&t);
                }
            }
            _ => {}
        }
    }

    /// A second definition of footnote `label`: left out, with a warning.
    fn second_footnote(&mut self, label: &str, at: usize) {
        let (line, col) = self.pos(at);
        self.md.issues.push(MarkdownIssue {
            line,
            col,
            width: label.chars().count() + 4,
            message: format!("脚注 [^{label}] 定义了两次，这里的第二个不会显示"),
            hint: format!("删掉多余的一个，或者给它换一个名字，例如 [^{label}-2]"),
            warning: true,
        });
        self.skipped = 1;
    }

    /// A heading's end: its id (written or made from its text) and its
    /// entry in the table of contents.
    fn heading_end(&mut self, level: HeadingLevel) {
        if let Some((start, lvl, explicit, text)) = self.heading.take() {
            let id = match explicit {
                Some(id) if self.taken_ids.take(&id) => id,
                _ => slug::anchor(&text, &mut self.taken_ids),
            };
            self.events[start] = Event::Start(Tag::Heading {
                level: lvl,
                id: Some(CowStr::from(id.clone())),
                classes: Vec::new(),
                attrs: Vec::new(),
            });
            self.flat_toc.push((lvl as u8, id, text.trim().to_string()));
        }
        self.plain.push('\n');
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    fn link(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: &str,
        title: CowStr<'a>,
        id: CowStr<'a>,
        at: usize,
    ) {
        let (line, col) = self.pos(at);
        match rewrite(dest_url, self.ctx, &mut self.md, line, col, false) {
            // Marked: the view points it at a published copy.
            Some(dest) if md_photos::is_photo_link(&self.md, &dest) => self
                .events
                .push(Event::InlineHtml(md_photos::link_tag(&dest, &title).into())),
            Some(dest) => self.events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: dest.into(),
                title,
                id,
            })),
            // Refused: the link's words stay as text.
            None => self.dropped_links += 1,
        }
    }

    fn task_marker(&mut self, done: bool) {
        let (mark, label) = if done {
            ("☑", "已完成")
        } else {
            ("☐", "未完成")
        };
        self.events.push(Event::InlineHtml(
            format!("<span class=\"task\" aria-hidden=\"true\">{mark}</span><span class=\"visually-hidden\">{label}：</span>").into(),
        ));
    }

    /// The HTML and everything found on the way.
    pub(super) fn finish(self, body_len: usize) -> Option<Markdown> {
        let Walk {
            ctx,
            mut md,
            plain,
            events,
            flat_toc,
            raw_html,
            ..
        } = self;
        let mut html = String::with_capacity(body_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if raw_html {
            html = super::sanitize::clean(&html)?;
            html = md_photos::raw_links(html, ctx, &mut md);
            html = md_photos::raw_images(html, ctx, &mut md);
        }
        md.anchors = ID_ATTR
            .captures_iter(&html)
            .map(|c| c[1].to_string())
            .collect();
        md.html = html;
        md.toc = nest_toc(&flat_toc);
        md.plain = plain.into();
        Some(md)
    }
}
