// A drawn synthetic page: the image and a log of every text the renderer put
// on it, with what each text is (title, field label, field value …). The log
// is what the derivability check reads: an answer is accepted only if it can
// be read back from texts that were actually drawn, whole and inside the
// canvas.
//
// Value type; not thread-safe to mutate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QString>

namespace leopard::synth {

enum class Role { Title, Subtitle, Label, Value, TotalLabel, TotalValue, Decoration };

struct DrawnText {
    std::string text;
    Role role = Role::Decoration;
    int field = -1;  // index of the field a Label/Value belongs to
    QRectF rect;     // where it was drawn, in canvas pixels
};

struct Page {
    QImage image;
    std::vector<DrawnText> texts;

    // The value drawn next to `label`, if that label was drawn.
    std::optional<std::string> valueOf(const std::string& label) const;
    // The drawn total of a receipt.
    std::optional<std::string> total() const;
    // Number of distinct fields whose label was drawn (bars, rows, items).
    int itemCount() const;
    // The drawn title, or "" when none.
    std::string title() const;
    // Whether any drawn text equals `s` exactly.
    bool shows(const std::string& s) const;
    // Every drawn text but decorations, one line each in drawing order; a
    // field's label and value share a line as "label: value".
    std::string transcript() const;
};

// How a page looks: canvas, font family, colours, layout variant.
struct Style {
    int width = 256;
    int height = 192;
    QString family = "DejaVu Sans";
    QColor background = Qt::white;
    QColor ink = Qt::black;
    QColor accent = QColor(40, 90, 200);
    QColor accentInk = Qt::white;  // text drawn on the accent colour
    int variant = 0;               // 0 or 1: alternative layouts per kind
};

}  // namespace leopard::synth
