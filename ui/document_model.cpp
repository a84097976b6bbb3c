#include "document_model.h"

#include <algorithm>

#include <QColor>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMimeData>
#include <QStandardPaths>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include "documents/page_spec.h"

namespace leopard::ui {

struct DocumentModel::Doc {
    QString path;
    State state = State::Opening;
    QString error;
    std::shared_ptr<const DocumentSource> source;
    std::shared_ptr<RenderService> renderer;
    std::vector<bool> included;
    std::vector<QImage> thumbnails;
    std::vector<bool> thumbnailRequested;
    CancelToken cancel;  // cancels queued thumbnails when the document goes
};

namespace {
struct OpenResult {
    std::shared_ptr<DocumentSource> source;
    QString error;
};
}  // namespace

DocumentModel::DocumentModel(QObject* parent) : QAbstractItemModel(parent) {}

DocumentModel::~DocumentModel() = default;

int DocumentModel::rowOf(const QString& file) const {
    const QString path = QFileInfo(file).absoluteFilePath();
    for (size_t i = 0; i < docs_.size(); ++i)
        if (docs_[i]->path == path) return int(i);
    return -1;
}

int DocumentModel::rowOfDoc(const Doc* doc) const {
    for (size_t i = 0; i < docs_.size(); ++i)
        if (docs_[i].get() == doc) return int(i);
    return -1;
}

int DocumentModel::insertDoc(const QString& path) {
    const int row = documentCount();
    beginInsertRows({}, row, row);
    docs_.push_back(std::make_shared<Doc>());
    docs_.back()->path = path;
    endInsertRows();
    return row;
}

int DocumentModel::addSource(std::shared_ptr<const DocumentSource> source) {
    const QString path = source->filePath();
    if (const int row = rowOf(path); row >= 0) return row;
    const int row = insertDoc(path);
    finishOpening(docs_.back().get(), std::move(source), QString());
    return row;
}

int DocumentModel::addFile(const QString& file) {
    const QString path = QFileInfo(file).absoluteFilePath();
    if (const int row = rowOf(path); row >= 0) return row;
    const int row = insertDoc(path);
    std::weak_ptr<Doc> doc = docs_.back();

    // Opening may convert an office file with LibreOffice (seconds): never on
    // the GUI thread.
    auto* watcher = new QFutureWatcher<OpenResult>(this);
    connect(watcher, &QFutureWatcher<OpenResult>::finished, this, [this, watcher, doc] {
        watcher->deleteLater();
        const OpenResult r = watcher->result();
        if (const auto d = doc.lock()) finishOpening(d.get(), r.source, r.error);  // else removed meanwhile
    });
    watcher->setFuture(QtConcurrent::run([path]() -> OpenResult {
        OpenResult r;
        try {
            r.source = openDocument(path);
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
    return row;
}

void DocumentModel::finishOpening(Doc* doc, std::shared_ptr<const DocumentSource> source, const QString& error) {
    const int row = rowOfDoc(doc);
    if (row < 0) return;  // removed while opening
    const QModelIndex di = index(row, 0);
    if (!source) {
        doc->state = State::Failed;
        doc->error = error;
        Q_EMIT dataChanged(di, di);
        Q_EMIT documentFailed(row, error);
        return;
    }
    const int pages = source->pageCount();
    if (pages > 0) beginInsertRows(di, 0, pages - 1);
    doc->source = std::move(source);
    doc->renderer = std::make_shared<RenderService>(doc->source);
    doc->included.assign(size_t(pages), true);
    doc->thumbnails.assign(size_t(pages), QImage());
    doc->thumbnailRequested.assign(size_t(pages), false);
    doc->state = State::Ready;
    if (pages > 0) endInsertRows();
    Q_EMIT dataChanged(di, di);
    Q_EMIT documentOpened(row);
    Q_EMIT selectionChanged();
}

int DocumentModel::addImage(const QImage& image) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/pasted";
    QDir().mkpath(dir);
    // Named by content so pasting the same screenshot twice opens it once.
    const QByteArray hash = QCryptographicHash::hash(
        QByteArray::fromRawData(reinterpret_cast<const char*>(image.constBits()), int(image.sizeInBytes())),
        QCryptographicHash::Sha1);
    const QString path = dir + "/screenshot-" + QString::fromLatin1(hash.toHex().left(12)) + ".png";
    if (!QFileInfo::exists(path) && !image.save(path, "PNG")) return -1;
    return addFile(path);
}

void DocumentModel::removeDocument(int row) {
    if (row < 0 || row >= documentCount()) return;
    beginRemoveRows({}, row, row);
    docs_[size_t(row)]->cancel.cancel();
    docs_.erase(docs_.begin() + row);
    endRemoveRows();
    Q_EMIT selectionChanged();
}

void DocumentModel::clear() {
    beginResetModel();
    for (const auto& d : docs_) d->cancel.cancel();
    docs_.clear();
    endResetModel();
    Q_EMIT selectionChanged();
}

int DocumentModel::pageCount(int row) const { return int(docs_.at(size_t(row))->included.size()); }
DocumentModel::State DocumentModel::state(int row) const { return docs_.at(size_t(row))->state; }
QString DocumentModel::filePath(int row) const { return docs_.at(size_t(row))->path; }
QString DocumentModel::errorText(int row) const { return docs_.at(size_t(row))->error; }
std::shared_ptr<const DocumentSource> DocumentModel::source(int row) const { return docs_.at(size_t(row))->source; }
std::shared_ptr<RenderService> DocumentModel::renderer(int row) const { return docs_.at(size_t(row))->renderer; }

QModelIndex DocumentModel::pageIndex(int row, int page) const { return index(page, 0, index(row, 0)); }

bool DocumentModel::isIncluded(int row, int page) const {
    const auto& inc = docs_.at(size_t(row))->included;
    return page >= 0 && page < int(inc.size()) && inc[size_t(page)];
}

void DocumentModel::setIncluded(int row, int page, bool on) {
    setData(pageIndex(row, page), on ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

void DocumentModel::setAllIncluded(bool on) {
    for (int r = 0; r < documentCount(); ++r) {
        auto& inc = docs_[size_t(r)]->included;
        if (inc.empty()) continue;
        inc.assign(inc.size(), on);
        Q_EMIT dataChanged(pageIndex(r, 0), pageIndex(r, int(inc.size()) - 1), {Qt::CheckStateRole});
        Q_EMIT dataChanged(index(r, 0), index(r, 0), {Qt::CheckStateRole});
    }
    Q_EMIT selectionChanged();
}

void DocumentModel::applySelection(const std::vector<SourceSelection>& selection) {
    for (const auto& s : selection) {
        const int r = rowOf(QFileInfo(s.path).absoluteFilePath());
        if (r < 0) continue;
        auto& inc = docs_[size_t(r)]->included;
        std::vector<int> pages;
        try {
            pages = parsePageSpec(s.pages, int(inc.size()), s.path.toStdString());
        } catch (const std::exception&) {
            continue;  // the file changed since: keep its pages as they are
        }
        inc.assign(inc.size(), false);
        for (int p : pages) inc[size_t(p)] = true;
        if (!inc.empty()) Q_EMIT dataChanged(pageIndex(r, 0), pageIndex(r, int(inc.size()) - 1), {Qt::CheckStateRole});
        Q_EMIT dataChanged(index(r, 0), index(r, 0), {Qt::CheckStateRole});
    }
    Q_EMIT selectionChanged();
}

std::string pageSpecOf(const std::vector<int>& pages) {
    std::string spec;
    for (size_t i = 0; i < pages.size();) {
        size_t j = i;
        while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1) ++j;
        if (!spec.empty()) spec += ',';
        spec += std::to_string(pages[i]);
        if (j > i) spec += '-' + std::to_string(pages[j]);
        i = j + 1;
    }
    return spec;
}

std::vector<SourceSelection> DocumentModel::selection() const {
    std::vector<SourceSelection> out;
    for (const auto& d : docs_) {
        if (d->state != State::Ready) continue;
        std::vector<int> pages;
        for (size_t p = 0; p < d->included.size(); ++p)
            if (d->included[p]) pages.push_back(int(p) + 1);
        if (!pages.empty()) out.push_back({d->path, pageSpecOf(pages)});
    }
    return out;
}

int DocumentModel::includedPageCount() const {
    int n = 0;
    for (const auto& d : docs_)
        for (bool b : d->included) n += b;
    return n;
}

QImage DocumentModel::thumbnail(int row, int page) const {
    const std::shared_ptr<Doc>& d = docs_.at(size_t(row));
    if (!d->renderer || page < 0 || page >= int(d->thumbnails.size())) return {};
    if (d->thumbnailRequested[size_t(page)]) return d->thumbnails[size_t(page)];
    d->thumbnailRequested[size_t(page)] = true;
    // Asked for by a view painting the row: the request is the laziness.
    const QSizeF size = d->source->pageSize(page);
    const double boxH = kThumbnailEdge * std::min(1.0, size.height() / std::max(size.width(), 1.0));
    auto* self = const_cast<DocumentModel*>(this);
    RenderService::whenReady(d->renderer->thumbnail(page, int(boxH * dpr_ + 0.5), d->cancel), self,
                             [self, weak = std::weak_ptr<Doc>(d), page, dpr = dpr_](const QImage& image,
                                                                                   const QString&) {
                                 const auto d = weak.lock();
                                 if (!d || image.isNull()) return;
                                 const int r = self->rowOfDoc(d.get());
                                 ++self->thumbnailsRendered_;
                                 d->thumbnails[size_t(page)] = image;
                                 d->thumbnails[size_t(page)].setDevicePixelRatio(dpr);
                                 const QModelIndex i = self->pageIndex(r, page);
                                 Q_EMIT self->dataChanged(i, i, {Qt::DecorationRole});
                             });
    return {};
}

// --- QAbstractItemModel ----------------------------------------------------

QModelIndex DocumentModel::index(int row, int column, const QModelIndex& parent) const {
    if (column != 0 || row < 0) return {};
    if (!parent.isValid()) return row < documentCount() ? createIndex(row, 0, kDocumentId) : QModelIndex();
    if (parent.internalId() != kDocumentId) return {};
    if (row >= pageCount(parent.row())) return {};
    // Page rows carry their document's row + 1 as the internal id.
    return createIndex(row, 0, quintptr(parent.row()) + 1);
}

QModelIndex DocumentModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kDocumentId) return {};
    return createIndex(int(child.internalId() - 1), 0, kDocumentId);
}

int DocumentModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return documentCount();
    if (parent.internalId() != kDocumentId) return 0;
    return pageCount(parent.row());
}

int DocumentModel::columnCount(const QModelIndex&) const { return 1; }

QVariant DocumentModel::data(const QModelIndex& idx, int role) const {
    if (!idx.isValid()) return {};
    const bool isDoc = idx.internalId() == kDocumentId;
    const int row = isDoc ? idx.row() : int(idx.internalId() - 1);
    const Doc& d = *docs_.at(size_t(row));
    switch (role) {
    case FilePathRole: return d.path;
    case IsDocumentRole: return isDoc;
    case StateRole: return QVariant::fromValue(d.state);
    case ErrorRole: return d.error;
    default: break;
    }
    if (isDoc) {
        switch (role) {
        case Qt::DisplayRole: {
            const QString name = d.source ? d.source->title() : QFileInfo(d.path).fileName();
            if (d.state == State::Opening) return tr("%1 (opening…)").arg(name);
            if (d.state == State::Failed) return tr("%1 — failed").arg(name);
            return tr("%1 (%n page(s))", nullptr, pageCount(row)).arg(name);
        }
        case Qt::ToolTipRole: return d.state == State::Failed ? d.error : d.path;
        case Qt::ForegroundRole:
            if (d.state == State::Failed) return QColor(200, 40, 40);
            return {};
        case Qt::CheckStateRole: {
            if (d.state != State::Ready) return {};
            const auto n = std::count(d.included.begin(), d.included.end(), true);
            if (n == 0) return Qt::Unchecked;
            return n == qsizetype(d.included.size()) ? Qt::Checked : Qt::PartiallyChecked;
        }
        default: return {};
        }
    }
    const int page = idx.row();
    switch (role) {
    case Qt::DisplayRole: return tr("Page %1").arg(page + 1);
    case PageNumberRole: return page + 1;
    case PageSizeRole: return d.source ? d.source->pageSize(page) : QSizeF();
    case IncludedRole: return bool(d.included[size_t(page)]);
    case Qt::CheckStateRole: return d.included[size_t(page)] ? Qt::Checked : Qt::Unchecked;
    case Qt::DecorationRole: return thumbnail(row, page);
    // A fixed size lets views lay rows out without asking for thumbnails.
    case Qt::SizeHintRole: return QSize(kThumbnailEdge + 90, kThumbnailEdge + 8);
    default: return {};
    }
}

bool DocumentModel::setData(const QModelIndex& idx, const QVariant& value, int role) {
    if (!idx.isValid() || role != Qt::CheckStateRole) return false;
    const bool on = value.value<Qt::CheckState>() != Qt::Unchecked;
    if (idx.internalId() == kDocumentId) {
        auto& inc = docs_[size_t(idx.row())]->included;
        if (inc.empty()) return false;
        inc.assign(inc.size(), on);
        Q_EMIT dataChanged(pageIndex(idx.row(), 0), pageIndex(idx.row(), int(inc.size()) - 1), {Qt::CheckStateRole});
        Q_EMIT dataChanged(idx, idx, {Qt::CheckStateRole});
    } else {
        const int row = int(idx.internalId() - 1);
        docs_[size_t(row)]->included[size_t(idx.row())] = on;
        Q_EMIT dataChanged(idx, idx, {Qt::CheckStateRole});
        const QModelIndex di = index(row, 0);
        Q_EMIT dataChanged(di, di, {Qt::CheckStateRole});
    }
    Q_EMIT selectionChanged();
    return true;
}

Qt::ItemFlags DocumentModel::flags(const QModelIndex& idx) const {
    Qt::ItemFlags f = Qt::ItemIsDropEnabled;
    if (!idx.isValid()) return f;
    f |= Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const bool isDoc = idx.internalId() == kDocumentId;
    if (!isDoc || docs_[size_t(idx.row())]->state == State::Ready) f |= Qt::ItemIsUserCheckable;
    return f;
}

QStringList DocumentModel::mimeTypes() const { return {QStringLiteral("text/uri-list")}; }

bool DocumentModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const {
    return !localFilesFrom(data).isEmpty();
}

bool DocumentModel::dropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) {
    const QStringList files = localFilesFrom(data);
    for (const QString& f : files) addFile(f);
    return !files.isEmpty();
}

Qt::DropActions DocumentModel::supportedDropActions() const { return Qt::CopyAction; }

QStringList localFilesFrom(const QMimeData* data) {
    QStringList files;
    if (!data) return files;
    for (const QUrl& url : data->urls())
        if (url.isLocalFile()) files << url.toLocalFile();
    return files;
}

}  // namespace leopard::ui
