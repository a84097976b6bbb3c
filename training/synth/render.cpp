#include "synth/render.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainterPath>

namespace leopard::synth {
namespace {

struct Palette {
    QColor background, ink, accent, accentInk;
};

const std::vector<Palette>& lightPalettes() {
    static const std::vector<Palette> p = {
        {QColor(255, 255, 255), QColor(20, 20, 20), QColor(40, 90, 200), Qt::white},
        {QColor(250, 246, 235), QColor(40, 30, 20), QColor(170, 60, 40), Qt::white},
        {QColor(236, 244, 250), QColor(10, 30, 60), QColor(20, 120, 110), Qt::white},
        {QColor(245, 245, 245), QColor(0, 0, 0), QColor(250, 200, 40), QColor(0, 0, 0)},
        {QColor(240, 250, 240), QColor(20, 50, 20), QColor(60, 130, 60), Qt::white},
    };
    return p;
}
const std::vector<Palette>& darkPalettes() {
    static const std::vector<Palette> p = {
        {QColor(30, 34, 42), QColor(235, 235, 235), QColor(90, 160, 250), QColor(10, 10, 10)},
        {QColor(20, 40, 60), QColor(250, 250, 250), QColor(250, 180, 60), QColor(10, 10, 10)},
    };
    return p;
}

const std::vector<QString>& families() {
    static const std::vector<QString> f = {"DejaVu Sans", "DejaVu Serif", "Liberation Sans",
                                           "Liberation Serif", "DejaVu Sans Mono", "Liberation Mono"};
    return f;
}

// Draws texts after fitting them to their boxes, and logs them.
class TextPen {
public:
    TextPen(QPainter& p, const Style& s, double minPx, std::vector<DrawnText>& log)
        : p_(p), style_(s), minPx_(minPx), log_(log) {}

    // One text in `box`, shrinking from `px`. Returns the box it used.
    QRectF text(const QRectF& box, const std::string& s, Role role, int field, double px,
                int align = Qt::AlignLeft | Qt::AlignVCenter, bool bold = false, QColor color = {}) {
        const QString qs = QString::fromStdString(s);
        QFont font = fit(px, bold, box, [&](const QFontMetricsF& m) { return m.horizontalAdvance(qs); });
        draw(box, qs, font, align, color);
        log_.push_back({s, role, field, box});
        return box;
    }

    // "label: value" on one line, the value right after the label.
    void pairInline(const QRectF& box, const std::string& label, const std::string& value, int field,
                    double px, const std::string& prefix = {}, bool bold = false) {
        const QString pre = QString::fromStdString(prefix), lab = QString::fromStdString(label + ":"),
                      val = QString::fromStdString(value);
        QFont font = fit(px, bold, box, [&](const QFontMetricsF& m) {
            return m.horizontalAdvance(pre + lab + " " + val);
        });
        QFontMetricsF m(font);
        double x = box.left();
        if (!prefix.empty()) {
            draw(QRectF(x, box.top(), m.horizontalAdvance(pre) + 1, box.height()), pre, font, Qt::AlignLeft | Qt::AlignVCenter, {});
            x += m.horizontalAdvance(pre);
        }
        QRectF lr(x, box.top(), m.horizontalAdvance(lab) + 1, box.height());
        draw(lr, lab, font, Qt::AlignLeft | Qt::AlignVCenter, {});
        log_.push_back({label, Role::Label, field, lr});
        x += m.horizontalAdvance(lab + " ");
        QRectF vr(x, box.top(), m.horizontalAdvance(val) + 1, box.height());
        draw(vr, val, font, Qt::AlignLeft | Qt::AlignVCenter, {});
        log_.push_back({value, Role::Value, field, vr});
    }

    // Label at the left of `box`, value at the right (tables, receipts).
    void pairSpread(const QRectF& box, const std::string& label, const std::string& value, int field,
                    double px, Role labelRole = Role::Label, Role valueRole = Role::Value, bool bold = false) {
        const QString lab = QString::fromStdString(label), val = QString::fromStdString(value);
        QFont font = fit(px, bold, box, [&](const QFontMetricsF& m) {
            return m.horizontalAdvance(lab) + m.horizontalAdvance(val) + m.horizontalAdvance("  ");
        });
        draw(box, lab, font, Qt::AlignLeft | Qt::AlignVCenter, {});
        draw(box, val, font, Qt::AlignRight | Qt::AlignVCenter, {});
        QFontMetricsF m(font);
        log_.push_back({label, labelRole, field, QRectF(box.left(), box.top(), m.horizontalAdvance(lab), box.height())});
        const double vw = m.horizontalAdvance(val);
        log_.push_back({value, valueRole, field, QRectF(box.right() - vw, box.top(), vw, box.height())});
    }

    const std::string& problem() const { return problem_; }

private:
    template <typename Width>
    QFont fit(double px, bool bold, const QRectF& box, Width width) {
        QFont font(style_.family);
        font.setBold(bold);
        // no shaping: no ligatures, so a PDF's text layer spells "ff" as two letters
        font.setStyleStrategy(QFont::StyleStrategy(QFont::PreferAntialias | QFont::PreferNoShaping));
        for (;;) {
            font.setPixelSize(std::max(1, static_cast<int>(std::lround(px))));
            QFontMetricsF m(font);
            if (width(m) <= box.width() && m.height() <= box.height() + 1) break;
            if (px * 0.9 < minPx_) {
                if (problem_.empty()) problem_ = "text does not fit at a readable size";
                break;
            }
            px *= 0.9;
        }
        const QRectF canvas(0, 0, style_.width, style_.height);
        if (!canvas.contains(box.adjusted(0.5, 0.5, -0.5, -0.5)) && problem_.empty())
            problem_ = "text box outside the canvas";
        return font;
    }

    void draw(const QRectF& box, const QString& s, const QFont& font, int align, QColor color) {
        p_.setFont(font);
        p_.setPen(color.isValid() ? color : style_.ink);
        p_.drawText(box, align | Qt::TextSingleLine, s);
    }

    QPainter& p_;
    const Style& style_;
    double minPx_;
    std::vector<DrawnText>& log_;
    std::string problem_;
};

double numberIn(const std::string& s) {
    double v = 0;
    parseNumber(s, &v);
    return v;
}

void paintSlide(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.05;
    const double band = h * 0.22;
    if (s.variant == 0) {
        p.fillRect(QRectF(0, 0, w, band), s.accent);
        pen.text(QRectF(m, 0, w - 2 * m, band), d.title, Role::Title, -1, band * 0.5,
                 Qt::AlignLeft | Qt::AlignVCenter, true, s.accentInk);
    } else {
        pen.text(QRectF(m, h * 0.02, w - 2 * m, band), d.title, Role::Title, -1, band * 0.5,
                 Qt::AlignHCenter | Qt::AlignVCenter, true, s.accent);
        p.fillRect(QRectF(m, band, w - 2 * m, std::max(1.0, h * 0.01)), s.accent);
    }
    const double top = band + h * 0.05, line = (h - top - m) / std::max<size_t>(d.fields.size(), 3);
    for (size_t i = 0; i < d.fields.size(); ++i)
        pen.pairInline(QRectF(m, top + i * line, w - 2 * m, line), d.fields[i].label, d.fields[i].value,
                       static_cast<int>(i), line * 0.62, "\u2022 ");
}

void paintTable(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.05;
    const double titleH = h * 0.17;
    pen.text(QRectF(m, 0, w - 2 * m, titleH), d.title, Role::Title, -1, titleH * 0.6,
             Qt::AlignLeft | Qt::AlignVCenter, true);
    const double top = titleH, rows = static_cast<double>(d.fields.size() + 1);
    const double rh = std::min((h - top - m) / rows, h * 0.16);
    const QRectF header(m, top, w - 2 * m, rh);
    p.fillRect(header, s.accent);
    pen.text(header.adjusted(rh * 0.2, 0, -rh * 0.2, 0), d.subtitle, Role::Decoration, -1, rh * 0.6,
             Qt::AlignLeft | Qt::AlignVCenter, true, s.accentInk);
    pen.text(header.adjusted(rh * 0.2, 0, -rh * 0.2, 0), "Value", Role::Decoration, -1, rh * 0.6,
             Qt::AlignRight | Qt::AlignVCenter, true, s.accentInk);
    QColor shade = s.ink;
    shade.setAlpha(28);
    p.setPen(QPen(shade, 1));
    for (size_t i = 0; i < d.fields.size(); ++i) {
        const QRectF row(m, top + (i + 1) * rh, w - 2 * m, rh);
        if (s.variant == 0 && i % 2 == 1) p.fillRect(row, shade);
        if (s.variant == 1) p.drawRect(row);
        pen.pairSpread(row.adjusted(rh * 0.2, 0, -rh * 0.2, 0), d.fields[i].label, d.fields[i].value,
                       static_cast<int>(i), rh * 0.62);
    }
}

void paintBarChart(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.04;
    const double titleH = h * 0.16;
    pen.text(QRectF(m, 0, w - 2 * m, titleH), d.title, Role::Title, -1, titleH * 0.6,
             Qt::AlignHCenter | Qt::AlignVCenter, true);
    double maxV = 1;
    for (const auto& f : d.fields) maxV = std::max(maxV, numberIn(f.value));
    const auto n = static_cast<double>(d.fields.size());
    if (s.variant == 0) {  // vertical bars, value above, label below
        const double labelH = h * 0.12, valueH = h * 0.11;
        const double base = h - m - labelH, plotTop = titleH + valueH, slot = (w - 2 * m) / n;
        p.fillRect(QRectF(m, base, w - 2 * m, 1), s.ink);
        for (size_t i = 0; i < d.fields.size(); ++i) {
            const double v = numberIn(d.fields[i].value), bh = (base - plotTop) * v / maxV;
            const double x = m + i * slot;
            p.fillRect(QRectF(x + slot * 0.2, base - bh, slot * 0.6, bh), s.accent);
            pen.text(QRectF(x, base - bh - valueH, slot, valueH), d.fields[i].value, Role::Value,
                     static_cast<int>(i), valueH * 0.75, Qt::AlignHCenter | Qt::AlignBottom);
            pen.text(QRectF(x, base, slot, labelH), d.fields[i].label, Role::Label, static_cast<int>(i),
                     labelH * 0.7, Qt::AlignHCenter | Qt::AlignVCenter);
        }
    } else {  // horizontal bars, label left, value at the bar's end
        const double labelW = w * 0.26, valueW = w * 0.14, slot = (h - titleH - m) / n;
        const double left = m + labelW, right = w - m - valueW;
        p.fillRect(QRectF(left, titleH, 1, h - titleH - m), s.ink);
        for (size_t i = 0; i < d.fields.size(); ++i) {
            const double v = numberIn(d.fields[i].value), bw = (right - left) * v / maxV;
            const double y = titleH + i * slot;
            p.fillRect(QRectF(left, y + slot * 0.2, bw, slot * 0.6), s.accent);
            pen.text(QRectF(m, y, labelW - 3, slot), d.fields[i].label, Role::Label, static_cast<int>(i),
                     slot * 0.5, Qt::AlignRight | Qt::AlignVCenter);
            pen.text(QRectF(left + bw + 2, y, valueW, slot), d.fields[i].value, Role::Value,
                     static_cast<int>(i), slot * 0.5, Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
}

void paintLineChart(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.05;
    const double titleH = h * 0.16, labelH = h * 0.12, valueH = h * 0.11;
    pen.text(QRectF(m, 0, w - 2 * m, titleH), d.title, Role::Title, -1, titleH * 0.6,
             Qt::AlignLeft | Qt::AlignVCenter, true);
    double maxV = 1, minV = 1e9;
    for (const auto& f : d.fields) {
        maxV = std::max(maxV, numberIn(f.value));
        minV = std::min(minV, numberIn(f.value));
    }
    const double base = h - m - labelH, plotTop = titleH + valueH, slot = (w - 2 * m) / d.fields.size();
    p.fillRect(QRectF(m, base, w - 2 * m, 1), s.ink);
    QPainterPath path;
    std::vector<QPointF> pts;
    for (size_t i = 0; i < d.fields.size(); ++i) {
        const double v = numberIn(d.fields[i].value);
        const double frac = maxV > minV ? (v - minV) / (maxV - minV) : 0.5;
        pts.emplace_back(m + (i + 0.5) * slot, base - valueH * 0.3 - (base - plotTop - valueH * 0.3) * frac);
    }
    path.moveTo(pts[0]);
    for (size_t i = 1; i < pts.size(); ++i) path.lineTo(pts[i]);
    p.setPen(QPen(s.accent, std::max(1.5, h * 0.012)));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    p.setBrush(s.accent);
    for (size_t i = 0; i < pts.size(); ++i) {
        p.drawEllipse(pts[i], h * 0.015, h * 0.015);
        pen.text(QRectF(pts[i].x() - slot / 2, pts[i].y() - valueH, slot, valueH * 0.95), d.fields[i].value,
                 Role::Value, static_cast<int>(i), valueH * 0.75, Qt::AlignHCenter | Qt::AlignBottom);
        pen.text(QRectF(m + i * slot, base, slot, labelH), d.fields[i].label, Role::Label, static_cast<int>(i),
                 labelH * 0.7, Qt::AlignHCenter | Qt::AlignVCenter);
    }
    p.setBrush(Qt::NoBrush);
}

void paintReceipt(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.07;
    const double lines = static_cast<double>(d.fields.size()) + 5;
    const double lh = std::min((h - 2 * m) / lines, w * 0.14);
    double y = m;
    pen.text(QRectF(m, y, w - 2 * m, lh * 1.3), d.title, Role::Title, -1, lh * 0.8,
             Qt::AlignHCenter | Qt::AlignVCenter, true);
    y += lh * 1.3;
    pen.text(QRectF(m, y, w - 2 * m, lh), d.subtitle, Role::Subtitle, -1, lh * 0.55, Qt::AlignHCenter | Qt::AlignVCenter);
    y += lh * 1.2;
    QPen dash(s.ink, 1, Qt::DashLine);
    p.setPen(dash);
    p.drawLine(QPointF(m, y), QPointF(w - m, y));
    y += lh * 0.2;
    for (size_t i = 0; i < d.fields.size(); ++i, y += lh)
        pen.pairSpread(QRectF(m, y, w - 2 * m, lh), d.fields[i].label, d.fields[i].value, static_cast<int>(i), lh * 0.62);
    p.setPen(dash);
    p.drawLine(QPointF(m, y + lh * 0.2), QPointF(w - m, y + lh * 0.2));
    y += lh * 0.4;
    pen.pairSpread(QRectF(m, y, w - 2 * m, lh), "Total", d.total, -1, lh * 0.7, Role::TotalLabel,
                   Role::TotalValue, true);
}

void paintForm(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.06;
    const double titleH = h * 0.14;
    pen.text(QRectF(m, m * 0.5, w - 2 * m, titleH), d.title, Role::Title, -1, titleH * 0.6,
             Qt::AlignLeft | Qt::AlignVCenter, true, s.accent);
    const double top = titleH + m, slot = (h - top - m) / std::max<size_t>(d.fields.size(), 4);
    const double labelW = (w - 2 * m) * 0.42;
    p.setBrush(Qt::NoBrush);
    for (size_t i = 0; i < d.fields.size(); ++i) {
        const double y = top + i * slot;
        pen.text(QRectF(m, y, labelW, slot * 0.8), d.fields[i].label, Role::Label, static_cast<int>(i),
                 slot * 0.42, Qt::AlignLeft | Qt::AlignVCenter);
        const QRectF box(m + labelW, y + slot * 0.05, w - 2 * m - labelW, slot * 0.7);
        p.setPen(QPen(s.ink, 1));
        if (s.variant == 0) p.drawRect(box);
        else p.drawLine(box.bottomLeft(), box.bottomRight());
        pen.text(box.adjusted(3, 1, -3, -1), d.fields[i].value, Role::Value, static_cast<int>(i), slot * 0.45,
                 Qt::AlignLeft | Qt::AlignVCenter);
    }
}

void paintScreenshot(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height;
    const double barH = h * 0.13, menuH = h * 0.1;
    p.fillRect(QRectF(0, 0, w, barH), s.accent);
    for (int i = 0; i < 3; ++i) {
        p.setPen(Qt::NoPen);
        p.setBrush(s.accentInk);
        p.drawEllipse(QPointF(w - barH * (0.5 + 0.6 * i), barH / 2), barH * 0.16, barH * 0.16);
    }
    p.setBrush(Qt::NoBrush);
    pen.text(QRectF(barH * 0.3, 0, w * 0.6, barH), d.title, Role::Title, -1, barH * 0.6,
             Qt::AlignLeft | Qt::AlignVCenter, true, s.accentInk);
    QColor menu = s.ink;
    menu.setAlpha(20);
    p.fillRect(QRectF(0, barH, w, menuH), menu);
    pen.text(QRectF(barH * 0.3, barH, w * 0.9, menuH), d.subtitle, Role::Subtitle, -1, menuH * 0.55);
    double left = w * 0.04;
    if (s.variant == 1) {  // a side bar with icons
        p.fillRect(QRectF(0, barH + menuH, w * 0.12, h - barH - menuH), menu);
        for (int i = 0; i < 4; ++i)
            p.fillRect(QRectF(w * 0.03, barH + menuH + h * (0.05 + 0.12 * i), w * 0.06, w * 0.06), s.accent);
        left = w * 0.16;
    }
    const double top = barH + menuH + h * 0.03, slot = (h - top - h * 0.03) / std::max<size_t>(d.fields.size(), 4);
    for (size_t i = 0; i < d.fields.size(); ++i) {
        const double y = top + i * slot;
        const QRectF row(left, y, w - left - w * 0.04, slot * 0.85);
        QColor box = s.accent;
        box.setAlpha(40);
        p.setPen(Qt::NoPen);
        p.setBrush(box);
        const QRectF control(row.left() + row.width() * 0.55, row.top(), row.width() * 0.45, row.height());
        p.drawRoundedRect(control, 3, 3);
        p.setBrush(Qt::NoBrush);
        pen.text(QRectF(row.left(), row.top(), row.width() * 0.53, row.height()), d.fields[i].label, Role::Label,
                 static_cast<int>(i), slot * 0.5);
        pen.text(control.adjusted(3, 0, -3, 0), d.fields[i].value, Role::Value, static_cast<int>(i), slot * 0.5,
                 Qt::AlignHCenter | Qt::AlignVCenter);
    }
}

void paintReportPage(QPainter& p, TextPen& pen, const Document& d, const Style& s) {
    const double w = s.width, h = s.height, m = w * 0.08;
    const double headH = h * 0.06, titleH = h * 0.1;
    pen.text(QRectF(m, m * 0.4, w - 2 * m, headH), d.subtitle, Role::Subtitle, -1, headH * 0.7);
    p.fillRect(QRectF(m, m * 0.4 + headH, w - 2 * m, 1), s.ink);
    double y = m * 0.4 + headH + h * 0.02;
    pen.text(QRectF(m, y, w - 2 * m, titleH), d.title, Role::Title, -1, titleH * 0.65,
             Qt::AlignLeft | Qt::AlignVCenter, true, s.accent);
    y += titleH + h * 0.01;
    const double footH = h * 0.06, lh = std::min((h - y - footH - m * 0.5) / (d.fields.size() * 1.7 + 0.5), h * 0.07);
    QColor filler = s.ink;
    filler.setAlpha(60);
    for (size_t i = 0; i < d.fields.size(); ++i) {
        // grey bars stand in for body text between the facts
        p.fillRect(QRectF(m, y + lh * 0.25, (w - 2 * m) * (s.variant ? 0.9 : 0.75), lh * 0.3), filler);
        y += lh * 0.7;
        pen.pairInline(QRectF(m, y, w - 2 * m, lh), d.fields[i].label, d.fields[i].value, static_cast<int>(i),
                       lh * 0.7);
        y += lh;
    }
    if (d.pageNumber > 0)
        pen.text(QRectF(m, h - footH - m * 0.3, w - 2 * m, footH), "Page " + std::to_string(d.pageNumber),
                 Role::Decoration, -1, footH * 0.65, Qt::AlignHCenter | Qt::AlignVCenter);
}

}  // namespace

Style randomStyle(Kind kind, const CanvasOptions& canvas, Rng& rng) {
    Style s;
    // width / height per kind: slides and screens are wide, receipts tall
    double aspect = 1.0;
    switch (kind) {
    case Kind::Slide: aspect = rng.chance(0.5) ? 4.0 / 3 : 16.0 / 9; break;
    case Kind::Table: aspect = rng.chance(0.5) ? 1.0 : 4.0 / 3; break;
    case Kind::BarChart:
    case Kind::LineChart: aspect = rng.chance(0.5) ? 4.0 / 3 : 3.0 / 2; break;
    case Kind::Receipt: aspect = rng.chance(0.5) ? 0.5 : 0.6; break;
    case Kind::Form: aspect = 3.0 / 4; break;
    case Kind::Screenshot: aspect = rng.chance(0.5) ? 16.0 / 10 : 4.0 / 3; break;
    case Kind::ReportPage: aspect = 1.0 / 1.414; break;
    }
    const int longSide = static_cast<int>(rng.intIn(canvas.minSide, canvas.maxSide));
    if (aspect >= 1) {
        s.width = longSide;
        s.height = static_cast<int>(std::lround(longSide / aspect));
    } else {
        s.height = longSide;
        s.width = static_cast<int>(std::lround(longSide * aspect));
    }
    s.family = rng.pick(families());
    const bool dark = (kind == Kind::Slide || kind == Kind::Screenshot) && rng.chance(0.3);
    const Palette& pal = rng.pick(dark ? darkPalettes() : lightPalettes());
    s.background = pal.background;
    s.ink = pal.ink;
    s.accent = pal.accent;
    s.accentInk = pal.accentInk;
    s.variant = static_cast<int>(rng.intIn(0, 1));
    return s;
}

std::string paintDocument(QPainter& painter, const Document& doc, const Style& style, double minTextPx,
                          std::vector<DrawnText>& log) {
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.fillRect(QRectF(0, 0, style.width, style.height), style.background);
    TextPen pen(painter, style, minTextPx, log);
    switch (doc.kind) {
    case Kind::Slide: paintSlide(painter, pen, doc, style); break;
    case Kind::Table: paintTable(painter, pen, doc, style); break;
    case Kind::BarChart: paintBarChart(painter, pen, doc, style); break;
    case Kind::LineChart: paintLineChart(painter, pen, doc, style); break;
    case Kind::Receipt: paintReceipt(painter, pen, doc, style); break;
    case Kind::Form: paintForm(painter, pen, doc, style); break;
    case Kind::Screenshot: paintScreenshot(painter, pen, doc, style); break;
    case Kind::ReportPage: paintReportPage(painter, pen, doc, style); break;
    }
    return pen.problem();
}

Page renderPage(const Document& doc, const Style& style, double minTextPx, std::string* problem) {
    Page page;
    QImage image(style.width, style.height, QImage::Format_RGB32);
    image.fill(style.background);
    QPainter painter(&image);
    const std::string why = paintDocument(painter, doc, style, minTextPx, page.texts);
    painter.end();
    if (!why.empty()) {
        if (problem) *problem = why;
        page.texts.clear();
        return page;
    }
    page.image = std::move(image);
    return page;
}

Page renderTextCrop(const std::vector<std::string>& lines, const Style& style, double textPx, double minTextPx,
                    Rng& rng) {
    Page page;
    QImage image(style.width, style.height, QImage::Format_RGB32);
    image.fill(style.background);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    TextPen pen(painter, style, minTextPx, page.texts);
    const double lineH = std::ceil(textPx * 1.35);
    const double blockH = lineH * static_cast<double>(lines.size());
    const double m = 2;
    const double top = m + rng.unit() * std::max(0.0, style.height - 2 * m - blockH);
    for (size_t i = 0; i < lines.size(); ++i) {
        const QRectF box(m, top + lineH * static_cast<double>(i), style.width - 2 * m, lineH);
        const int align = (rng.chance(0.5) ? Qt::AlignLeft : Qt::AlignHCenter) | Qt::AlignVCenter;
        pen.text(box, lines[i], Role::Value, static_cast<int>(i), textPx, align, rng.chance(0.3));
    }
    painter.end();
    if (!pen.problem().empty() || top + blockH > style.height) {
        page.texts.clear();
        return page;
    }
    page.image = std::move(image);
    return page;
}

}  // namespace leopard::synth
