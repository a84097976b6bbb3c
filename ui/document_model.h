// The documents the user opened and their pages, as one two-level item
// model: top-level rows are documents, their children are pages. Pages carry
// a checkbox (include the page in the next question), documents a tri-state
// checkbox over their pages. Opening (LibreOffice conversion, PDF parsing)
// runs on the thread pool; a row shows "opening…" until it is done and the
// error sentence when it failed — other documents are unaffected.
// Each opened document gets a RenderService (documents/render_service.h):
// thumbnails are rendered lazily on its threads, when a view first asks for
// a page's decoration, and the viewer and the tile planner use it too.
//
//   DocumentModel model;
//   model.addFile("/home/me/slides.pdf");
//   ... documentOpened(row) ...
//   std::vector<leopard::SourceSelection> sel = model.selection();
//
// GUI thread only (it is an item model); the DocumentSources it hands out
// are thread-safe (documents/document_source.h).
#pragma once

#include <memory>
#include <vector>

#include <QAbstractItemModel>
#include <QImage>
#include <QStringList>

#include "documents/ask_types.h"
#include "documents/document_source.h"
#include "documents/render_service.h"

namespace leopard::ui {

class DocumentModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Roles {
        FilePathRole = Qt::UserRole + 1,  // QString: the document's file
        IsDocumentRole,                   // bool: a document row (else a page)
        PageNumberRole,                   // int: 1-based page number (pages)
        PageSizeRole,                     // QSizeF: size at scale 1 (pages)
        StateRole,                        // State (documents)
        ErrorRole,                        // QString: why it failed (documents)
        IncludedRole,                     // bool: page goes to the model
    };
    enum class State { Opening, Ready, Failed };
    Q_ENUM(State)

    explicit DocumentModel(QObject* parent = nullptr);
    ~DocumentModel() override;

    // Starts opening `path` in the background; returns its row. A file that
    // is already open is not added twice (its row is returned).
    int addFile(const QString& path);
    // An already opened source (in-memory documents, tests).
    int addSource(std::shared_ptr<const DocumentSource> source);
    // A pasted screenshot: saved as a PNG under AppDataLocation/pasted (the
    // ask API and session files take paths), then opened like a file.
    int addImage(const QImage& image);
    void removeDocument(int row);
    void clear();

    int documentCount() const { return int(docs_.size()); }
    int pageCount(int row) const;
    State state(int row) const;
    QString filePath(int row) const;
    QString errorText(int row) const;
    // The opened source and its renderer; null while opening or after a
    // failure.
    std::shared_ptr<const DocumentSource> source(int row) const;
    std::shared_ptr<RenderService> renderer(int row) const;
    int rowOf(const QString& path) const;

    QModelIndex documentIndex(int row) const { return index(row, 0); }
    QModelIndex pageIndex(int row, int page) const;  // page 0-based

    bool isIncluded(int row, int page) const;
    void setIncluded(int row, int page, bool on);
    void setAllIncluded(bool on);
    // Restores a saved selection: documents not listed keep their pages.
    void applySelection(const std::vector<SourceSelection>& selection);
    // What goes to the model: every ready document with its included pages
    // (1-based), documents with none left out.
    std::vector<SourceSelection> selection() const;
    int includedPageCount() const;

    // The page's thumbnail if rendered, else a null image (and one is
    // requested: dataChanged(DecorationRole) follows).
    QImage thumbnail(int row, int page) const;
    // Thumbnails fit a box of this many device-independent pixels.
    static constexpr int kThumbnailEdge = 128;
    void setDevicePixelRatio(double dpr) { dpr_ = dpr; }
    int thumbnailsRendered() const { return thumbnailsRendered_; }

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) override;
    Qt::DropActions supportedDropActions() const override;

Q_SIGNALS:
    void documentOpened(int row);
    void documentFailed(int row, const QString& message);
    // Pages were checked or unchecked, or documents came or went.
    void selectionChanged();

private:
    struct Doc;
    int insertDoc(const QString& path);
    void finishOpening(Doc* doc, std::shared_ptr<const DocumentSource> source, const QString& error);
    int rowOfDoc(const Doc* doc) const;
    static constexpr quintptr kDocumentId = 0;  // internalId of document rows

    std::vector<std::shared_ptr<Doc>> docs_;  // shared: jobs hold weak references
    double dpr_ = 1.0;
    int thumbnailsRendered_ = 0;
};

// A page selection as documents/page_spec.h reads it, from ascending
// 1-based pages: {1, 2, 3, 7} → "1-3,7".
std::string pageSpecOf(const std::vector<int>& pages);

// Local files named by a drop or paste (file:// URLs), in order.
QStringList localFilesFrom(const QMimeData* data);

}  // namespace leopard::ui
