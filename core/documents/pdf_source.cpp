#include "documents/pdf_source.h"

#include <QFileInfo>
#include <poppler-qt6.h>

#include "util/errors.h"

namespace leopard {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

// Poppler prints every syntax error of a damaged file to stderr; our errors
// say what matters in one sentence, so keep its chatter out of the terminal.
void silencePoppler() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poppler::setDebugErrorFunction([](const QString&, const QVariant&) {}, QVariant());
    });
}

bool shouldAbort(const QVariant& payload) {
    const auto* token = reinterpret_cast<const CancelToken*>(payload.value<quintptr>());
    return token && token->cancelled();
}

std::unique_ptr<Poppler::Document> load(const QString& path, const QByteArray& password) {
    return Poppler::Document::load(path, password, password);
}

// Passwords are Latin-1 for the old RC4/AES-128 handlers and UTF-8 for
// AES-256; try both spellings of a non-ASCII password.
bool tryUnlock(Poppler::Document& doc, const QString& password, QByteArray& used) {
    for (const QByteArray& bytes : {password.toLatin1(), password.toUtf8()}) {
        if (!doc.unlock(bytes, bytes) && !doc.isLocked()) {
            used = bytes;
            return true;
        }
    }
    return false;
}

}  // namespace

PdfSource::~PdfSource() = default;

std::unique_ptr<PdfSource> PdfSource::open(const QString& pdfPath, const OpenOptions& options,
                                           const QString& displayPath, DocumentKind kind) {
    silencePoppler();
    const QString shown = displayPath.isEmpty() ? pdfPath : displayPath;
    std::unique_ptr<Poppler::Document> doc = load(pdfPath, {});
    if (!doc) throw InputError(str(shown), "not a readable PDF (corrupt or truncated)");

    std::unique_ptr<PdfSource> src(new PdfSource);
    if (doc->isLocked()) {
        if (!options.password) throw InputError(str(shown), "the PDF is encrypted and needs a password");
        bool unlocked = false;
        int attempt = 1;
        for (; attempt <= options.maxPasswordAttempts && !unlocked; ++attempt) {
            const std::optional<QString> pw = options.password(shown, attempt);
            if (!pw) break;
            unlocked = tryUnlock(*doc, *pw, src->password_);
        }
        if (!unlocked)
            throw InputError(str(shown), attempt == 1 ? "the PDF is encrypted and needs a password"
                                                       : "wrong password");
    }
    src->pdfPath_ = pdfPath;
    src->displayPath_ = shown;
    src->kind_ = kind;
    src->init(std::move(doc));
    return src;
}

void PdfSource::init(std::unique_ptr<Poppler::Document> doc) {
    doc->setRenderHint(Poppler::Document::Antialiasing, true);
    doc->setRenderHint(Poppler::Document::TextAntialiasing, true);
    doc->setPaperColor(Qt::white);
    const int n = doc->numPages();
    if (n <= 0) throw InputError(str(displayPath_), "the PDF has no pages");
    sizes_.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        std::unique_ptr<Poppler::Page> page = doc->page(i);
        if (!page) throw InputError(str(displayPath_), "page " + std::to_string(i + 1) + " is damaged");
        sizes_.push_back(page->pageSizeF());
    }
    title_ = doc->info(QStringLiteral("Title")).trimmed();
    if (title_.isEmpty()) title_ = QFileInfo(displayPath_).fileName();
    doc_ = std::move(doc);
}

QSizeF PdfSource::pageSize(int page) const {
    checkPage(page);
    return sizes_[size_t(page)];
}

QImage PdfSource::render(int page, double scale, const CancelToken* cancel) const {
    checkPage(page);
    if (!(scale > 0)) throw InputError(str(displayPath_), "render scale must be positive");
    const QSizeF px = sizes_[size_t(page)] * scale;
    // QImage holds at most 2^31 bytes; refuse early with a sentence instead.
    if (px.width() * px.height() * 4 >= 2147483647.0)
        throw InputError(str(displayPath_), "page " + std::to_string(page + 1) + " is too large to render at this scale");
    if (cancel) cancel->throwIfCancelled();

    QImage image;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::unique_ptr<Poppler::Page> p = doc_->page(page);
        if (!p) throw InputError(str(displayPath_), "page " + std::to_string(page + 1) + " is damaged");
        const double dpi = 72.0 * scale;
        image = p->renderToImage(dpi, dpi, -1, -1, -1, -1, Poppler::Page::Rotate0, nullptr, nullptr,
                                 &shouldAbort, QVariant::fromValue(reinterpret_cast<quintptr>(cancel)));
    }
    if (cancel) cancel->throwIfCancelled();
    if (image.isNull())
        throw InputError(str(displayPath_), "page " + std::to_string(page + 1) + " could not be rendered");
    return image;
}

QString PdfSource::pageText(int page) const {
    checkPage(page);
    std::lock_guard<std::mutex> lock(mutex_);
    std::unique_ptr<Poppler::Page> p = doc_->page(page);
    return p ? p->text(QRectF()) : QString();
}

std::unique_ptr<DocumentSource> PdfSource::clone() const {
    std::unique_ptr<Poppler::Document> doc = load(pdfPath_, password_);
    if (!doc || doc->isLocked()) throw InputError(str(displayPath_), "the PDF could not be opened again");
    std::unique_ptr<PdfSource> copy(new PdfSource);
    copy->pdfPath_ = pdfPath_;
    copy->displayPath_ = displayPath_;
    copy->password_ = password_;
    copy->kind_ = kind_;
    copy->init(std::move(doc));
    return copy;
}

}  // namespace leopard
