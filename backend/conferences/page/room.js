// The conference room page: a WebRTC mesh (one RTCPeerConnection per remote peer) signalled
// over the backend's websocket. The newcomer offers to everyone already there; they answer.
// window.hallRoom exposes the state to tests and to the console that embeds the page.
(() => {
  "use strict";

  const MEDIA_TIMEOUT_MS = 20000;
  const cfg = JSON.parse(document.getElementById("room-config").textContent);
  const TEXTS = {
    zh_CN: {
      heading: "加入视频会商", name: "您的姓名", who: "我是：", guest: "访客", join: "加入",
      mic: "静音", micOff: "取消静音", cam: "关闭摄像头", camOff: "打开摄像头", leave: "离开",
      rejoin: "重新加入", me: "（我）", connecting: "正在连接…", joined: "已加入，共 {n} 人",
      waiting: "已加入，等待其他人加入", reconnecting: "连接中断，{s} 秒后重连…",
      ended: "视频会商已结束", full: "会商室已满（最多 8 人），无法加入",
      badKey: "链接无效或已失效", left: "您已离开视频会商",
      mediaRefused: "无法使用摄像头或麦克风（{e}）：仅接收画面和声音",
      mediaPartial: "无法使用{k}（{e}）", camera: "摄像头", microphone: "麦克风",
      needName: "请输入姓名", noVideo: "无画面",
      states: { new: "连接中", connecting: "连接中", connected: "已连接", disconnected: "中断",
                failed: "失败", closed: "已关闭" },
    },
    en: {
      heading: "Join the video conference", name: "Your name", who: "I am:", guest: "Guest",
      join: "Join", mic: "Mute", micOff: "Unmute", cam: "Camera off", camOff: "Camera on",
      leave: "Leave", rejoin: "Join again", me: " (me)", connecting: "Connecting…",
      joined: "Joined, {n} here", waiting: "Joined, waiting for others",
      reconnecting: "Connection lost, retrying in {s} s…", ended: "The conference has ended",
      full: "The room is full (8 people at most)", badKey: "This link is wrong or no longer valid",
      left: "You have left the conference",
      mediaRefused: "No camera or microphone ({e}): receiving only",
      mediaPartial: "No {k} ({e})", camera: "camera", microphone: "microphone",
      needName: "Please enter your name", noVideo: "No video",
      states: { new: "connecting", connecting: "connecting", connected: "connected",
                disconnected: "interrupted", failed: "failed", closed: "closed" },
    },
  };
  const T = TEXTS[cfg.lang] || TEXTS.zh_CN;
  const $ = (id) => document.getElementById(id);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_m, k) => String(values[k]));

  const room = {
    joined: false, peerId: null, iceServers: [], localStream: null, mediaError: null,
    peers: new Map(), ws: null, ended: false, terminal: null, leaving: false,
    retry: 0, retryTimer: null, statsTimer: null, name: "", unitId: null,
    chain: Promise.resolve(),
  };

  // ---- the page

  function setStatus(text, tone) {
    const el = $("status");
    el.textContent = text;
    el.className = tone || "";
  }

  function showNotice(text, bad) {
    const el = $("notice");
    el.textContent = "";
    const p = document.createElement("p");
    p.textContent = text;
    el.appendChild(p);
    el.className = bad ? "bad" : "";
    el.hidden = false;
    return el;
  }

  function layout() {
    const tiles = $("grid").children.length || 1;
    const wide = $("grid").clientWidth >= $("grid").clientHeight;
    let cols = Math.ceil(Math.sqrt(tiles));
    let rows = Math.ceil(tiles / cols);
    if (!wide) [cols, rows] = [rows, cols];
    $("grid").style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    $("grid").style.gridTemplateRows = `repeat(${rows}, 1fr)`;
  }

  function makeTile(label, local) {
    const tile = document.createElement("div");
    tile.className = local ? "tile local" : "tile";
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.muted = !!local;
    const placeholder = document.createElement("div");
    placeholder.className = "placeholder";
    placeholder.textContent = T.noVideo;
    const name = document.createElement("div");
    name.className = "name";
    name.textContent = label;
    const state = document.createElement("div");
    state.className = "state";
    tile.append(video, placeholder, name, state);
    $("grid").appendChild(tile);
    layout();
    return { tile, video, placeholder, state };
  }

  function removeTile(view) {
    if (view && view.tile.parentNode) view.tile.parentNode.removeChild(view.tile);
    layout();
  }

  function updateHeader() {
    if (room.terminal) return;
    if (!room.joined) return;
    const n = room.peers.size + 1;
    setStatus(n > 1 ? fill(T.joined, { n }) : T.waiting, "ok");
  }

  // ---- media

  async function openMedia() {
    const tries = [{ audio: true, video: { width: 640, height: 360 } },
                   { video: { width: 640, height: 360 } }, { audio: true }];
    let firstError = null;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      room.mediaError = "NotSupportedError";
      return null;
    }
    for (const constraints of tries) {
      try {
        // A permission prompt nobody answers must not keep the person out of the room.
        const stream = await Promise.race([
          navigator.mediaDevices.getUserMedia(constraints),
          new Promise((_ok, fail) => setTimeout(
            () => fail(Object.assign(new Error("no answer"), { name: "TimeoutError" })),
            MEDIA_TIMEOUT_MS)),
        ]);
        if (firstError) room.mediaError = firstError;
        return stream;
      } catch (err) {
        firstError = firstError || (err && err.name) || "Error";
      }
    }
    room.mediaError = firstError;
    return null;
  }

  function mediaNote() {
    if (!room.mediaError) return "";
    const kinds = room.localStream ? room.localStream.getTracks().map((t) => t.kind) : [];
    if (!kinds.length) return fill(T.mediaRefused, { e: room.mediaError });
    const missing = kinds.includes("video") ? T.microphone : T.camera;
    return fill(T.mediaPartial, { k: missing, e: room.mediaError });
  }

  // ---- signalling

  function send(message) {
    if (room.ws && room.ws.readyState === WebSocket.OPEN) room.ws.send(JSON.stringify(message));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${scheme}//${location.host}${cfg.signal_path}?k=${encodeURIComponent(cfg.key)}`;
    setStatus(T.connecting, "warn");
    const ws = new WebSocket(url);
    room.ws = ws;
    ws.onopen = () => send({ type: "hello", name: room.name, unit_id: room.unitId });
    ws.onmessage = (e) => {
      let message;
      try { message = JSON.parse(e.data); } catch (_err) { return; }
      // One at a time, in order: an answer must not overtake the candidates before it.
      room.chain = room.chain.then(() => onMessage(message))
        .catch((err) => console.error("room: message failed", err));
    };
    ws.onclose = () => {
      if (room.ws !== ws) return;
      room.ws = null;
      room.joined = false;
      dropAllPeers();
      if (room.terminal || room.leaving) return;
      const delay = Math.min(15, 2 ** room.retry);
      room.retry += 1;
      setStatus(fill(T.reconnecting, { s: delay }), "warn");
      room.retryTimer = setTimeout(connect, delay * 1000);
    };
  }

  async function onMessage(message) {
    switch (message.type) {
      case "welcome":
        room.peerId = message.peer_id;
        room.iceServers = message.ice_servers || [];
        room.joined = true;
        room.retry = 0;
        for (const peer of message.peers) await addPeer(peer, true);
        updateHeader();
        break;
      case "peer-joined":
        await addPeer(message.peer, false);
        updateHeader();
        break;
      case "peer-left":
        dropPeer(message.peer_id);
        updateHeader();
        break;
      case "signal":
        await onSignal(message.from, message.data || {});
        break;
      case "ended":
        finish("ended", T.ended);
        break;
      case "error":
        if (message.code === "room_full") finish("room_full", T.full);
        else if (message.code === "bad_key") finish("bad_key", T.badKey);
        else if (message.code === "ended") finish("ended", T.ended);
        else console.warn("room: the server refused a message:", message.message);
        break;
      default:
        break;
    }
  }

  // ---- peers

  async function addPeer(card, initiator) {
    dropPeer(card.peer_id);
    const pc = new RTCPeerConnection({ iceServers: room.iceServers });
    const peer = {
      id: card.peer_id, name: card.name, unitId: card.unit_id, pc, initiator,
      pending: [], view: makeTile(card.name, false), stats: {},
    };
    room.peers.set(card.peer_id, peer);
    const kinds = new Set();
    if (room.localStream) {
      for (const track of room.localStream.getTracks()) {
        pc.addTrack(track, room.localStream);
        kinds.add(track.kind);
      }
    }
    if (initiator) {
      for (const kind of ["audio", "video"]) {
        if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: "recvonly" });
      }
    }
    pc.onicecandidate = (e) => {
      if (e.candidate) send({ type: "signal", to: peer.id, data: { candidate: e.candidate.toJSON() } });
    };
    pc.ontrack = (e) => {
      const stream = e.streams[0] || new MediaStream([e.track]);
      if (peer.view.video.srcObject !== stream) peer.view.video.srcObject = stream;
      if (e.track.kind === "video") peer.view.placeholder.hidden = true;
      peer.view.video.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      showState(peer);
      if (pc.connectionState === "failed" && peer.initiator) offer(peer, true);
    };
    showState(peer);
    if (initiator) await offer(peer, false);
  }

  async function offer(peer, restart) {
    try {
      const description = await peer.pc.createOffer(restart ? { iceRestart: true } : undefined);
      await peer.pc.setLocalDescription(description);
      send({ type: "signal", to: peer.id, data: { description: peer.pc.localDescription.toJSON() } });
    } catch (err) {
      console.error("room: offer failed", err);
    }
  }

  async function onSignal(from, data) {
    let peer = room.peers.get(from);
    if (!peer) {
      await addPeer({ peer_id: from, name: "?", unit_id: null }, false);
      peer = room.peers.get(from);
    }
    const pc = peer.pc;
    if (data.description) {
      await pc.setRemoteDescription(data.description);
      // Candidates that came before the description could not be added then.
      for (const candidate of peer.pending.splice(0)) await addCandidate(pc, candidate);
      if (data.description.type === "offer") {
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: "signal", to: from, data: { description: pc.localDescription.toJSON() } });
      }
    } else if (data.candidate) {
      if (!pc.remoteDescription) peer.pending.push(data.candidate);
      else await addCandidate(pc, data.candidate);
    }
  }

  async function addCandidate(pc, candidate) {
    try { await pc.addIceCandidate(candidate); } catch (err) { console.warn("room: bad candidate", err); }
  }

  function showState(peer) {
    const s = peer.pc.connectionState;
    peer.view.state.textContent = T.states[s] || s;
    peer.view.state.className = "state " + (s === "connected" ? "ok"
      : (s === "failed" || s === "closed") ? "bad" : "warn");
  }

  function dropPeer(peerId) {
    const peer = room.peers.get(peerId);
    if (!peer) return;
    room.peers.delete(peerId);
    peer.pc.close();
    removeTile(peer.view);
  }

  function dropAllPeers() {
    for (const peerId of [...room.peers.keys()]) dropPeer(peerId);
  }

  // ---- stats: what this page receives, every 2 s, for the backend's room view

  async function collectStats() {
    const inbound = {};
    for (const peer of room.peers.values()) {
      try {
        const report = await peer.pc.getStats();
        report.forEach((s) => {
          if (s.type === "inbound-rtp" && s.kind === "video") {
            peer.stats = {
              frames_decoded: s.framesDecoded || 0, frame_width: s.frameWidth || 0,
              frame_height: s.frameHeight || 0, bytes_received: s.bytesReceived || 0,
            };
          }
        });
      } catch (_err) { /* closed meanwhile */ }
      inbound[peer.id] = peer.stats;
    }
    if (room.joined) send({ type: "stats", inbound });
  }

  // ---- joining and leaving

  async function join(name, unitId) {
    room.name = name;
    room.unitId = unitId || null;
    room.leaving = false;
    $("join").hidden = true;
    $("notice").hidden = true;
    setStatus(T.connecting, "warn");
    if (!room.localStream) {
      room.localStream = await openMedia();
      room.localView = makeTile(room.name + T.me, true);
      if (room.localStream) {
        room.localView.video.srcObject = room.localStream;
        room.localView.placeholder.hidden = !room.localStream.getVideoTracks().length;
      }
      const note = mediaNote();
      if (note) room.localView.state.textContent = note;
      if (note) room.localView.state.className = "state warn";
    }
    $("controls").hidden = false;
    updateButtons();
    connect();
    if (!room.statsTimer) room.statsTimer = setInterval(collectStats, 2000);
  }

  function stopMedia() {
    if (room.localStream) room.localStream.getTracks().forEach((t) => t.stop());
    room.localStream = null;
    removeTile(room.localView);
    room.localView = null;
  }

  function closeSocket() {
    clearTimeout(room.retryTimer);
    if (room.ws) {
      const ws = room.ws;
      room.ws = null;
      ws.close(1000, "leave");
    }
    room.joined = false;
    dropAllPeers();
    clearInterval(room.statsTimer);
    room.statsTimer = null;
  }

  function finish(reason, text) {
    room.terminal = reason;
    closeSocket();
    stopMedia();
    $("controls").hidden = true;
    $("join").hidden = true;
    setStatus(text, "bad");
    showNotice(text, true);
  }

  function leave() {
    if (room.terminal) return;
    room.leaving = true;
    closeSocket();
    stopMedia();
    $("controls").hidden = true;
    setStatus(T.left, "");
    const notice = showNotice(T.left, false);
    const again = document.createElement("button");
    again.type = "button";
    again.textContent = T.rejoin;
    again.onclick = () => join(room.name, room.unitId);
    notice.appendChild(again);
  }

  function toggle(kind) {
    if (!room.localStream) return;
    for (const track of room.localStream.getTracks()) {
      if (track.kind === kind) track.enabled = !track.enabled;
    }
    updateButtons();
  }

  function trackOn(kind) {
    const tracks = room.localStream ? room.localStream.getTracks().filter((t) => t.kind === kind) : [];
    return tracks.length ? tracks.every((t) => t.enabled) : null;
  }

  function updateButtons() {
    const mic = trackOn("audio");
    const cam = trackOn("video");
    $("mic").textContent = mic === false ? T.micOff : T.mic;
    $("mic").setAttribute("aria-pressed", String(mic === false));
    $("mic").disabled = mic === null;
    $("cam").textContent = cam === false ? T.camOff : T.cam;
    $("cam").setAttribute("aria-pressed", String(cam === false));
    $("cam").disabled = cam === null;
    if (room.localView) room.localView.placeholder.hidden = cam === true;
  }

  function state() {
    return {
      joined: room.joined, peer_id: room.peerId, conference_id: cfg.conference.id,
      name: room.name, unit_id: room.unitId, ended: room.terminal === "ended",
      terminal: room.terminal, left: room.leaving,
      peers: [...room.peers.values()].map((p) => ({
        peer_id: p.id, name: p.name, unit_id: p.unitId, connection_state: p.pc.connectionState,
        frames_decoded: p.stats.frames_decoded || 0, frame_width: p.stats.frame_width || 0,
        frame_height: p.stats.frame_height || 0,
      })),
      local_tracks: room.localStream ? room.localStream.getTracks().map((t) => t.kind) : [],
      microphone_on: trackOn("audio"), camera_on: trackOn("video"),
      media_error: room.mediaError,
    };
  }

  window.hallRoom = { state, leave };

  // ---- start

  function start() {
    document.title = `${cfg.conference.title} · ${cfg.conference.id}`;
    $("conf-id").textContent = cfg.conference.id;
    $("conf-title").textContent = cfg.conference.title;
    $("join-heading").textContent = T.heading;
    $("name-label").textContent = T.name;
    $("who-label").textContent = T.who;
    $("join-button").textContent = T.join;
    $("leave").textContent = T.leave;
    $("name").value = cfg.name || "";
    const who = $("who");
    for (const unit of cfg.invited) who.add(new Option(unit.name, unit.unit_id));
    who.add(new Option(T.guest, ""));
    if (cfg.unit && [...who.options].some((o) => o.value === cfg.unit)) who.value = cfg.unit;
    else if (cfg.unit) who.add(new Option(cfg.unit, cfg.unit, true, true));
    else who.value = "";
    // From a bare link the person says who they are; a link naming a unit already did.
    const bare = !cfg.unit;
    $("who").hidden = !bare || !cfg.invited.length;
    $("who-label").hidden = $("who").hidden;
    $("mic").onclick = () => toggle("audio");
    $("cam").onclick = () => toggle("video");
    $("leave").onclick = leave;
    $("join").onsubmit = (e) => {
      e.preventDefault();
      const name = $("name").value.trim();
      if (!name) { $("join-note").textContent = T.needName; return; }
      join(name, who.value || cfg.unit || null);
    };
    window.addEventListener("resize", layout);
    if (cfg.name && cfg.name.trim()) join(cfg.name.trim(), cfg.unit || null);
    else $("name").focus();
  }

  start();
})();
