// Broadsheet's newsroom: a little progressive JavaScript. Every page works without it; this adds
// keyboard moderation, the editor's live preview and autosave.
'use strict'
;(function () {
  var csrf = function (root) {
    var f = (root || document).querySelector('input[name=_csrf]')
    return f ? f.value : ''
  }
  var post = function (url, data) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': data._csrf || csrf() },
      body: JSON.stringify(data),
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body && body.error && body.error.message) || 'The request failed (' + r.status + ').')
        return body
      })
    })
  }
  var say = function (text) {
    var live = document.getElementById('live')
    if (live) live.textContent = text
  }
  var typing = function (e) {
    var t = e.target
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  }

  // ---- The moderation queue: j/k move, a approve, s spam, d trash, r reply, u undo ----
  var queue = document.querySelector('ol.queue')
  if (queue) {
    var items = function () { return Array.prototype.slice.call(queue.querySelectorAll('li[data-id]')) }
    var current = 0
    var undo = []
    var focusItem = function (i) {
      var list = items()
      if (!list.length) { say('The queue is empty.'); return }
      current = Math.max(0, Math.min(i, list.length - 1))
      list.forEach(function (li, n) { li.classList.toggle('current', n === current) })
      list[current].focus()
    }
    var wanted = location.hash.match(/^#comment-(\d+)$/)
    if (wanted) {
      var idx = items().findIndex(function (li) { return li.dataset.id === wanted[1] })
      if (idx >= 0) current = idx
    }
    var setCount = function (status, delta) {
      var el = document.querySelector('[data-count="' + status + '"]')
      if (el) el.textContent = String(Math.max(0, Number(el.textContent) + delta))
    }
    var moderate = function (li, status, remember) {
      var from = li.dataset.status
      if (from === status) return Promise.resolve()
      return post('/admin/comments/' + li.dataset.id + '/moderate', { status: status })
        .then(function () {
          if (remember) undo.push({ li: li, from: from, to: status, next: li.nextElementSibling })
          setCount(from, -1)
          setCount(status, 1)
          li.dataset.status = status
          if (li.dataset.tab !== status) li.remove()
          say('Comment by ' + li.dataset.author + ' marked ' + status + '.')
          focusItem(current)
        })
        .catch(function (e) { say(e.message); alert(e.message) })
    }
    queue.addEventListener('submit', function (e) {
      var form = e.target
      var li = form.closest('li[data-id]')
      var button = e.submitter
      if (!li || !form.classList.contains('moderate') || !button) return
      e.preventDefault()
      current = items().indexOf(li)
      moderate(li, button.value, true)
    })
    document.addEventListener('keydown', function (e) {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return
      var li = items()[current]
      switch (e.key) {
        case 'j': focusItem(current + 1); break
        case 'k': focusItem(current - 1); break
        case 'a': if (li) moderate(li, 'approved', true); break
        case 's': if (li) moderate(li, 'spam', true); break
        case 'd': if (li) moderate(li, 'trash', true); break
        case 'r':
          if (li) {
            var details = li.querySelector('details.reply')
            if (details) { details.open = true; details.querySelector('textarea').focus() }
          }
          break
        case 'u':
          var last = undo.pop()
          if (!last) { say('Nothing to undo.'); return }
          post('/admin/comments/' + last.li.dataset.id + '/moderate', { status: last.from }).then(function () {
            setCount(last.to, -1)
            setCount(last.from, 1)
            last.li.dataset.status = last.from
            if (!last.li.isConnected) queue.insertBefore(last.li, last.next && last.next.isConnected ? last.next : null)
            current = items().indexOf(last.li)
            say('Undone: the comment by ' + last.li.dataset.author + ' is ' + last.from + ' again.')
            focusItem(current)
          }).catch(function (err) { say(err.message) })
          break
        default: return
      }
      e.preventDefault()
    })
    // Focus moves to a comment only when the address names one (a moderator's e-mail link); otherwise the page starts at its top.
    if (wanted && items().length) focusItem(current)
    else if (items().length) items()[0].classList.add('current')
  }

  // ---- The editor: live preview and autosave ----
  var editor = document.querySelector('form.article-editor')
  if (editor) {
    var preview = document.getElementById('preview')
    var field = function (name) { return editor.elements.namedItem(name) }
    var timer
    var refresh = function () {
      if (!preview) return
      post('/admin/articles/preview', { title: field('title').value, standfirst: field('standfirst').value, body: field('body').value })
        .then(function (r) { preview.innerHTML = r.html })
        .catch(function (e) { say(e.message) })
    }
    ;['title', 'standfirst', 'body'].forEach(function (name) {
      var el = field(name)
      if (el) el.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(refresh, 400); dirty = true })
    })
    var dirty = false
    var id = editor.dataset.articleId
    if (id && editor.dataset.status === 'draft') {
      setInterval(function () {
        if (!dirty) return
        dirty = false
        var data = {}
        new FormData(editor).forEach(function (v, k) { if (typeof v === 'string') data[k] = v })
        post('/admin/articles/' + id + '/autosave', data)
          .then(function (r) {
            var rev = field('revision')
            if (rev && r.revision) rev.value = r.revision
            say('Draft saved automatically at ' + new Date().toLocaleTimeString() + '.')
          })
          .catch(function (e) { say(e.message) })
      }, 20000)
    }
  }
})()
