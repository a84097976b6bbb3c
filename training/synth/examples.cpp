#include "synth/examples.h"

#include <sstream>

#include <QMarginsF>
#include <QPageSize>
#include <QPdfWriter>

#include "synth/render.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard::synth {
namespace {

namespace fs = std::filesystem;

std::vector<Document> deck() {
    Document a{Kind::Slide, "Q3 Results", "", {{"Revenue", "$4.2M"}, {"New clients", "38"}, {"Churn", "2.1%"}}, "", 0};
    Document b{Kind::Slide, "Team Update", "", {{"Staff", "54"}, {"Open roles", "7"}, {"Office", "Lyon"}}, "", 0};
    Document c{Kind::Slide, "Next Steps", "", {{"Launch", "12 May"}, {"Budget", "$350K"}, {"Owner", "Mia Chen"}}, "", 0};
    return {a, b, c};
}

std::vector<Document> report() {
    Document a{Kind::ReportPage, "Finance", "Annual Report 2023", {{"Budget", "420"}, {"Projects", "12"}, {"Vendors", "31"}}, "", 1};
    Document b{Kind::ReportPage, "Operations", "Annual Report 2023", {{"Sites", "9"}, {"Incidents", "3"}, {"Audits", "5"}}, "", 2};
    return {a, b};
}

Document screenBefore() {
    return {Kind::Screenshot, "Settings", "File  Edit  View  Help",
            {{"Theme", "Light"}, {"Language", "English"}, {"Font size", "12"}, {"Sync", "On"}, {"Backup", "Weekly"}}, "", 0};
}

Style exampleStyle(int w, int h, int variant) {
    Style s;
    s.width = w;
    s.height = h;
    s.family = "DejaVu Sans";
    s.variant = variant;
    return s;
}

// One PDF page per document, 1 pixel = 1 point.
void writePdf(const fs::path& path, const std::vector<Document>& docs, const Style& style, const QString& title) {
    QPdfWriter pdf(QString::fromStdString(path.string()));
    pdf.setTitle(title);
    pdf.setCreator("leopard-train synth --examples");
    pdf.setResolution(72);
    pdf.setPageSize(QPageSize(QSizeF(style.width, style.height), QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&pdf)) throw InputError(path.string(), "cannot write PDF");
    for (size_t i = 0; i < docs.size(); ++i) {
        if (i) pdf.newPage();
        std::vector<DrawnText> log;
        const std::string why = paintDocument(painter, docs[i], style, 9.0, log);
        if (!why.empty()) throw Error(path.string() + ": example page " + std::to_string(i + 1) + ": " + why);
    }
    painter.end();
}

void writePng(const fs::path& path, const Document& doc, const Style& style) {
    std::string why;
    const Page page = renderPage(doc, style, 9.0, &why);
    if (page.image.isNull()) throw Error(path.string() + ": " + why);
    if (!page.image.save(QString::fromStdString(path.string()), "PNG")) throw InputError(path.string(), "cannot write image");
}

std::string xmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

// A flat ODF presentation (one XML file) with the deck's text; LibreOffice
// converts it to .odp and .pptx (scripts/make-examples.sh).
std::string flatOdp(const std::vector<Document>& slides) {
    std::ostringstream x;
    x << R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:automatic-styles>
  <style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="25.4cm" fo:page-height="14.29cm" style:print-orientation="landscape"/></style:page-layout>
  <style:style style:name="title" style:family="paragraph"><style:text-properties fo:font-size="36pt" fo:font-weight="bold" style:font-name="DejaVu Sans"/></style:style>
  <style:style style:name="body" style:family="paragraph"><style:text-properties fo:font-size="26pt" style:font-name="DejaVu Sans"/></style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Default" style:page-layout-name="PM1"/>
 </office:master-styles>
 <office:body>
  <office:presentation>
)";
    for (size_t i = 0; i < slides.size(); ++i) {
        x << "   <draw:page draw:name=\"Slide " << i + 1 << "\" draw:master-page-name=\"Default\">\n"
          << "    <draw:frame presentation:class=\"title\" svg:x=\"1.5cm\" svg:y=\"0.8cm\" svg:width=\"22.4cm\" svg:height=\"2.6cm\">"
          << "<draw:text-box><text:p text:style-name=\"title\">" << xmlEscape(slides[i].title)
          << "</text:p></draw:text-box></draw:frame>\n"
          << "    <draw:frame presentation:class=\"outline\" svg:x=\"1.5cm\" svg:y=\"4cm\" svg:width=\"22.4cm\" svg:height=\"9cm\">"
          << "<draw:text-box><text:list>";
        for (const auto& f : slides[i].fields)
            x << "<text:list-item><text:p text:style-name=\"body\">" << xmlEscape(f.label + ": " + f.value)
              << "</text:p></text:list-item>";
        x << "</text:list></draw:text-box></draw:frame>\n   </draw:page>\n";
    }
    x << "  </office:presentation>\n </office:body>\n</office:document>\n";
    return x.str();
}

std::string factsOf(const Document& d) {
    std::string s;
    for (size_t i = 0; i < d.fields.size(); ++i) s += (i ? ", " : "") + d.fields[i].label + " " + d.fields[i].value;
    return s;
}

std::string readme(const std::vector<Document>& slides, const std::vector<Document>& pages, const Document& before,
                   const Document& after, const std::string& changed) {
    std::ostringstream r;
    r << "# Example documents\n\n"
      << "Generated by `scripts/make-examples.sh` (`leopard-train synth --examples examples/`, then LibreOffice\n"
      << "for the .odp/.pptx copies). Small files with large text, sized for small models as well as the\n"
      << "real Leopard weights. Every fact below is printed on the page named, so answers can be checked.\n\n"
      << "## slides.pdf, slides.odp, slides.pptx — a three-slide deck\n\n";
    for (size_t i = 0; i < slides.size(); ++i)
        r << "- slide " << i + 1 << ", \"" << slides[i].title << "\": " << factsOf(slides[i]) << "\n";
    r << "\n## report.pdf — a two-page report, \"" << pages[0].subtitle << "\"\n\n";
    for (size_t i = 0; i < pages.size(); ++i)
        r << "- page " << i + 1 << ", section \"" << pages[i].title << "\": " << factsOf(pages[i]) << "\n";
    r << "\n## screenshot-before.png, screenshot-after.png — a settings screen, then one setting changed\n\n"
      << "- before: " << factsOf(before) << "\n- after: " << factsOf(after) << "\n- what changed: " << changed
      << "\n\n## Questions to try\n\n"
      << "```sh\n"
      << "leopard-cli ask examples/slides.pdf -q \"How many open roles are there?\"          # 7\n"
      << "leopard-cli ask examples/report.pdf -q \"Which page gives the number of incidents?\"  # page 2\n"
      << "leopard-cli compare examples/screenshot-before.png examples/screenshot-after.png \\\n"
      << "    -q \"Which setting changed between image 1 and image 2?\"                     # " << changed << "\n"
      << "```\n";
    return r.str();
}

}  // namespace

std::vector<std::string> writeExamples(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError(dir.string(), "cannot create folder: " + ec.message());
    const auto slides = deck();
    const auto pages = report();
    const Document before = screenBefore();
    Document after = before;
    after.fields[0].value = "Dark";

    writePdf(dir / "slides.pdf", slides, exampleStyle(640, 360, 0), "Example deck");
    writeFileAtomically(dir / "slides.fodp", flatOdp(slides));
    writePdf(dir / "report.pdf", pages, exampleStyle(420, 595, 0), "Annual Report 2023");
    writePng(dir / "screenshot-before.png", before, exampleStyle(480, 300, 1));
    writePng(dir / "screenshot-after.png", after, exampleStyle(480, 300, 1));
    writeFileAtomically(dir / "README.md", readme(slides, pages, before, after, after.fields[0].label + " (Light to Dark)"));
    return {"slides.pdf", "slides.fodp", "report.pdf", "screenshot-before.png", "screenshot-after.png", "README.md"};
}

}  // namespace leopard::synth
