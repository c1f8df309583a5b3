<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Action</name>
    <message>
        <location filename="../../views/labels.py" line="58"/>
        <location filename="../../views/labels.py" line="59"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="60"/>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="61"/>
        <source>Acknowledged</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="62"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="63"/>
        <source>Urged</source>
        <translation>催办</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="64"/>
        <source>Dispatched</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="65"/>
        <source>Escalated</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="66"/>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="67"/>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="68"/>
        <source>Signed for</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="69"/>
        <source>Arrived on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="70"/>
        <source>Resolved</source>
        <translation>处置完成</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="71"/>
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="72"/>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="73"/>
        <source>Conference started</source>
        <translation>发起视频会商</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="74"/>
        <source>Joined the conference</source>
        <translation>加入会商</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="75"/>
        <source>Left the conference</source>
        <translation>离开会商</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="76"/>
        <source>Conference ended</source>
        <translation>结束会商</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <location filename="../../views/formatting.py" line="52"/>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="54"/>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="56"/>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="58"/>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="59"/>
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../../widgets/alert_banner.py" line="69"/>
        <source>Alert</source>
        <translation>警报</translation>
    </message>
    <message>
        <location filename="../../widgets/alert_banner.py" line="82"/>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../widgets/alert_banner.py" line="89"/>
        <location filename="../../widgets/alert_banner.py" line="90"/>
        <source>Dismiss this alert</source>
        <translation>关闭此警报</translation>
    </message>
    <message>
        <location filename="../../widgets/alert_banner.py" line="129"/>
        <source>+%1 waiting</source>
        <translation>另有 %1 条待看</translation>
    </message>
</context>
<context>
    <name>AlertPresenter</name>
    <message>
        <location filename="../../views/alert_presenter.py" line="98"/>
        <source>Mute alert sounds</source>
        <extracomment>The tone of each alert sound (levels above 2 alert only with a hand-edited policy). How long an alerting row flashes, and how long each on/off phase lasts. At most this many rows flash at once (the newest alerts): a burst stays readable. How many glows the banner makes when an alert is raised (about 0.7 s each). Every tone the presenter decided to play, by level (muted ones are not decided). How often the window asked the desktop for attention. Tones sound for levels 1..this only (None: every level the policy alerts on); set by the hall&apos;s mode (see `set_sound_ceiling`). `sounds_held`: tones it held back.</extracomment>
        <translation>警报静音</translation>
    </message>
    <message>
        <location filename="../../views/alert_presenter.py" line="107"/>
        <source>Alert on levels 1 and 2</source>
        <translation>一、二级事件报警</translation>
    </message>
    <message>
        <location filename="../../views/alert_presenter.py" line="108"/>
        <source>Alert on level 1 only</source>
        <translation>仅一级事件报警</translation>
    </message>
    <message>
        <location filename="../../views/alert_presenter.py" line="109"/>
        <source>No alerts</source>
        <translation>不报警</translation>
    </message>
    <message>
        <location filename="../../views/alert_presenter.py" line="128"/>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <location filename="../../views/alert_presenter.py" line="226"/>
        <source>Escalated: %1</source>
        <translation>已升级：%1</translation>
    </message>
</context>
<context>
    <name>AuditResult</name>
    <message>
        <location filename="../../views/labels.py" line="105"/>
        <source>Accepted</source>
        <translation>已执行</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="106"/>
        <source>Repeated request, answered once</source>
        <translation>重复请求，仅执行一次</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="107"/>
        <source>Refused: role not allowed</source>
        <translation>拒绝：角色无权限</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="108"/>
        <source>Refused: already handled by another seat</source>
        <translation>拒绝：已被其他席位处理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="110"/>
        <source>Refused: not valid now</source>
        <translation>拒绝：当前状态不允许</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="111"/>
        <source>Refused: still running</source>
        <translation>拒绝：仍在处理中</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="112"/>
        <source>Refused: request key reused</source>
        <translation>拒绝：请求标识被重复使用</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="114"/>
        <source>Refused: no such event</source>
        <translation>拒绝：事件不存在</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="115"/>
        <source>Wrong credentials</source>
        <translation>用户名或密码错误</translation>
    </message>
</context>
<context>
    <name>CameraList</name>
    <message>
        <location filename="../../views/camera_list.py" line="90"/>
        <source>Search camera name or id…</source>
        <translation>搜索摄像机名称或编号…</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="93"/>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="93"/>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="93"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="218"/>
        <source>No street</source>
        <translation>无街道</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="222"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="222"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="236"/>
        <source>{0}/{1} online</source>
        <translation>{0}/{1} 在线</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="264"/>
        <source>Show on the wall</source>
        <translation>上墙</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="266"/>
        <source>Tour on the wall</source>
        <translation>整墙轮巡</translation>
    </message>
    <message>
        <location filename="../../views/camera_list.py" line="268"/>
        <source>Tour on the selected tile</source>
        <translation>在选中窗格轮巡</translation>
    </message>
</context>
<context>
    <name>ChaseBar</name>
    <message>
        <location filename="../../views/chase_bar.py" line="73"/>
        <source>%1 dispatch(es) not signed for in time</source>
        <extracomment>How many late dispatches are listed; the rest are counted.</extracomment>
        <translation>%1 个派单超时未签收</translation>
    </message>
    <message>
        <location filename="../../views/chase_bar.py" line="75"/>
        <source>%1 more not listed</source>
        <translation>另有 %1 个未列出</translation>
    </message>
    <message>
        <location filename="../../views/chase_bar.py" line="87"/>
        <source>urged</source>
        <translation>已催办</translation>
    </message>
    <message>
        <location filename="../../views/chase_bar.py" line="106"/>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <location filename="../../views/chase_bar.py" line="107"/>
        <source>Re-dispatch</source>
        <translation>改派</translation>
    </message>
    <message>
        <location filename="../../views/chase_bar.py" line="117"/>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
</context>
<context>
    <name>ConferenceDialog</name>
    <message>
        <location filename="../../views/conference_dialog.py" line="47"/>
        <source>Start a video conference</source>
        <translation>发起视频会商</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="66"/>
        <source>Video conference: %1</source>
        <translation>视频会商：%1</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="81"/>
        <source>assigned</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="83"/>
        <source>category unit</source>
        <translation>类别责任单位</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="85"/>
        <source>Invite another unit…</source>
        <translation>邀请其他单位…</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="97"/>
        <source>Start the conference</source>
        <translation>发起会商</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="101"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="105"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="106"/>
        <source>Open on</source>
        <translation>打开位置</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="114"/>
        <source>Units invited</source>
        <translation>邀请单位</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="152"/>
        <source>Give the conference a title.</source>
        <translation>请填写会商标题。</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="155"/>
        <source>Invite at least one unit.</source>
        <translation>请至少邀请一个单位。</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="160"/>
        <source>Starting the conference…</source>
        <translation>正在发起会商…</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="182"/>
        <source>The backend cannot be reached: the conference was not started. Try again when the link is back.</source>
        <translation>无法连接后端，会商未发起。请在连接恢复后重试。</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="185"/>
        <source>Your role may not start conferences.</source>
        <translation>您的角色无权发起会商。</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="186"/>
        <source>The backend refused the conference: %1</source>
        <translation>后端拒绝了会商：%1</translation>
    </message>
    <message>
        <location filename="../../views/conference_dialog.py" line="205"/>
        <source>added</source>
        <translation>手动添加</translation>
    </message>
</context>
<context>
    <name>ConferenceLauncher</name>
    <message>
        <location filename="../../views/conference_launcher.py" line="78"/>
        <source>This desk (%1)</source>
        <extracomment>A conference started by someone else is announced if it is at most this old (seconds) when this desk first hears of it (not the open ones listed at sign-in).</extracomment>
        <translation>本席（%1）</translation>
    </message>
    <message>
        <location filename="../../views/conference_launcher.py" line="79"/>
        <source>This desk</source>
        <translation>本席</translation>
    </message>
    <message>
        <location filename="../../views/conference_launcher.py" line="84"/>
        <source>Screen %1 (%2×%3)</source>
        <translation>屏幕 %1（%2×%3）</translation>
    </message>
    <message>
        <location filename="../../views/conference_launcher.py" line="134"/>
        <source>%1 started the video conference %2 about %3: join it from the event panel.</source>
        <translation>%1 就事件 %3 发起了视频会商 %2：可在事件详情中加入。</translation>
    </message>
</context>
<context>
    <name>ConferenceWindow</name>
    <message>
        <location filename="../../views/conference_window.py" line="117"/>
        <source>Participant</source>
        <extracomment>Cameras beside the call: the nearest online ones within this radius.</extracomment>
        <translation>参会方</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="117"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="117"/>
        <source>Joined</source>
        <translation>加入</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="117"/>
        <location filename="../../views/conference_window.py" line="321"/>
        <source>Left</source>
        <translation>已离开</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="120"/>
        <source>Copy the invitation link</source>
        <translation>复制邀请链接</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="122"/>
        <source>For a participant without the console: the link opens the conference in a browser</source>
        <translation>发给没有控制台的参会人：链接可在浏览器中打开会商</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="125"/>
        <location filename="../../views/conference_window.py" line="230"/>
        <source>End the conference</source>
        <translation>结束会商</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="150"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="153"/>
        <source>Cameras nearby</source>
        <translation>周边监控</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="142"/>
        <source>Participants</source>
        <translation>参会方</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="222"/>
        <source>Invitation link copied.</source>
        <translation>邀请链接已复制。</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="231"/>
        <source>End %1 for every participant?</source>
        <translation>为所有参会方结束会商 %1？</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="236"/>
        <source>Ending the conference…</source>
        <translation>正在结束会商…</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="243"/>
        <source>Operations hall</source>
        <translation>指挥大厅</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="244"/>
        <source>%1 (operations hall)</source>
        <translation>%1（指挥大厅）</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="249"/>
        <source>The conference has ended.</source>
        <translation>会商已结束。</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="254"/>
        <source>The backend cannot be reached: the conference goes on. Try again.</source>
        <translation>无法连接后端：会商仍在进行，请重试。</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="256"/>
        <source>The backend refused: %1</source>
        <translation>后端拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="294"/>
        <source>Reported %1</source>
        <translation>上报 %1</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="295"/>
        <source>Units: %1</source>
        <translation>单位：%1</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="312"/>
        <source>Video conference %1 — %2</source>
        <translation>视频会商 %1 — %2</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="319"/>
        <source>In the conference</source>
        <translation>会商中</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="323"/>
        <source>Invited, not joined</source>
        <translation>已邀请，未加入</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="323"/>
        <source>Not joined</source>
        <translation>未加入</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="326"/>
        <source> (from the link)</source>
        <translation>（通过链接）</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="336"/>
        <source>Ended %1</source>
        <translation>已于 %1 结束</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="341"/>
        <source>In progress %1 · %2 connected</source>
        <translation>进行中 %1 · %2 方在线</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="347"/>
        <source>receiving video from %1</source>
        <translation>接收 %1 路视频</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="371"/>
        <source>the camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="371"/>
        <source>the microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="372"/>
        <source>the camera and microphone</source>
        <translation>摄像头和麦克风</translation>
    </message>
    <message>
        <location filename="../../views/conference_window.py" line="373"/>
        <source>Refused %1 to %2: only the conference origin %3 may use them.</source>
        <translation>已拒绝 %2 使用%1：只有会商来源 %3 可以使用。</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <location filename="../../views/labels.py" line="146"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="147"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="148"/>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="149"/>
        <source>Resyncing</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="150"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="151"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>DataAgeLabel</name>
    <message>
        <location filename="../../views/link_state.py" line="118"/>
        <source>Data as of %1</source>
        <translation>数据截至 %1</translation>
    </message>
    <message>
        <location filename="../../views/link_state.py" line="120"/>
        <source>(%1 ago)</source>
        <translation>（%1前）</translation>
    </message>
</context>
<context>
    <name>DeskWindow</name>
    <message>
        <location filename="../../views/desk_window.py" line="88"/>
        <source>Hall Console — %1 (%2)</source>
        <extracomment>The version of the saved window arrangement (geometry, docks, splitter); a file or dock state of another version is not restored. Bump it when the docks change shape. The desk&apos;s views by kind, in menu order: &quot;events&quot; (the queue and the event detail) is the central widget; the others stand in docks of these object names. The dock raised in the default arrangement. The share of the window&apos;s width the docks take in the default arrangement: at 1600 px the middle keeps ~950 px, the event detail its ~550 px (its row of buttons) and the queue the rest. The default split of the middle between the queue and the event detail. No dock gets narrower or lower than this (a 1366×768 laptop still holds the desk).</extracomment>
        <translation>城运大厅坐席 — %1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="105"/>
        <source>Dispatch the selected event</source>
        <extracomment>Starts and joins video conferences (視頻會商) from the event panel.</extracomment>
        <translation>派单（选中事件）</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="111"/>
        <source>Video conference about the selected event</source>
        <translation>就选中事件发起视频会商</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="118"/>
        <source>New event…</source>
        <translation>新建事件…</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="188"/>
        <source>City vital signs</source>
        <translation>城市体征</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="194"/>
        <source>Statistics</source>
        <translation>事件统计</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="203"/>
        <source>Operation map</source>
        <extracomment>The event the hall&apos;s emergency mode follows: while set, the map stays on it instead of following the queue&apos;s selection.</extracomment>
        <translation>运行图</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="207"/>
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="221"/>
        <source>&amp;Events</source>
        <translation>事件(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="227"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="233"/>
        <source>Default arrangement</source>
        <translation>恢复默认布局</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="255"/>
        <source>Select an event first.</source>
        <translation>请先选择一个事件。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="259"/>
        <source>The event has no conference open, and only a shift leader may start one.</source>
        <translation>该事件没有进行中的会商，只有带班领导可以发起会商。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="271"/>
        <source>Select an event to dispatch.</source>
        <translation>请先选中要派单的事件。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="274"/>
        <source>Only a shift leader may dispatch.</source>
        <translation>只有值班长可以派单。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="277"/>
        <source>This event cannot be dispatched in its current status.</source>
        <translation>该事件当前状态不能派单。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="285"/>
        <source>Dispatched %1.</source>
        <translation>已派单：%1。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="297"/>
        <source>The catalog has not arrived yet.</source>
        <translation>基础数据尚未加载。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="308"/>
        <source>The new event is saved and will be sent when the link returns.</source>
        <translation>新事件已保存，网络恢复后自动发送。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="518"/>
        <source>The offline cache was damaged (%1). It was set aside as %2 and is rebuilt from the backend.</source>
        <translation>离线缓存已损坏（%1），已另存为 %2，正在从后台重建。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="522"/>
        <source>%1 unsent commands were recovered.</source>
        <translation>已找回 %1 条未发送的指令。</translation>
    </message>
    <message>
        <location filename="../../views/desk_window.py" line="525"/>
        <source>Whether it held unsent commands could not be checked: check the events you changed recently; the damaged file is kept.</source>
        <translation>未能检查其中是否有未发送的指令：请核对近期处理过的事件；损坏的文件已保留。</translation>
    </message>
</context>
<context>
    <name>Dispatch</name>
    <message>
        <location filename="../../views/labels.py" line="85"/>
        <source>Leads %1 events</source>
        <translation>“%1”类事件牵头单位</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="87"/>
        <source>Assists with %1 events</source>
        <translation>“%1”类事件协办单位</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="90"/>
        <source>Office of %1, where it happened</source>
        <translation>事发街道：%1</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="93"/>
        <source>Nearest available team, %1 km</source>
        <translation>最近的空闲队伍，%1 km</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="96"/>
        <source>The category names no lead unit</source>
        <translation>该类别未指定牵头单位</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="98"/>
        <source>Added by you</source>
        <translation>手动添加</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="57"/>
        <source>Dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="80"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="80"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="80"/>
        <source>Why</source>
        <translation>推荐理由</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="80"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="93"/>
        <source>Space: include or leave out · L: make lead · Ctrl+Enter: dispatch</source>
        <translation>空格 选中/取消 · L 设为牵头 · Ctrl+Enter 派单</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="96"/>
        <source>Add another unit…</source>
        <translation>添加其他单位…</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="121"/>
        <source>Units must sign for it within %1 min of the dispatch.</source>
        <translation>派单后 %1 分钟内须签收。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="126"/>
        <source>Note for the timeline (optional)</source>
        <translation>处置时间线备注（可选）</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="131"/>
        <source>Dispatch on the latest state</source>
        <translation>按最新状态重新派单</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="135"/>
        <source>Dispatch (Ctrl+Enter)</source>
        <translation>派单（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="140"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="146"/>
        <source>Template</source>
        <translation>指令模板</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="147"/>
        <source>Instructions</source>
        <translation>处置要求</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="151"/>
        <source>Resolve by</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="152"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="163"/>
        <source>Units</source>
        <translation>处置单位</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="242"/>
        <source>The dispatch could not be made: %1</source>
        <translation>无法派单：%1</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="247"/>
        <source>Dispatching…</source>
        <translation>正在派单…</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="259"/>
        <source>sent this event back before</source>
        <translation>曾退回此事件</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="290"/>
        <source>Lead</source>
        <translation>牵头</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="290"/>
        <source>Assist</source>
        <translation>协办</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="363"/>
        <source>Choose at least one unit.</source>
        <translation>请至少选择一个单位。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="365"/>
        <source>Exactly one unit must lead (select it and press L).</source>
        <translation>必须且只能有一个牵头单位（选中后按 L）。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="367"/>
        <source>Write instructions for the units.</source>
        <translation>请填写处置要求。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="410"/>
        <source>The event changed while you were deciding: %1 made it %2.</source>
        <translation>您决策期间事件已变化：%1 已将其改为“%2”。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="427"/>
        <source>Now dispatching on the latest state (%1).</source>
        <translation>将按最新状态（%1）派单。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="437"/>
        <source>Dispatched.</source>
        <translation>已派单。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="443"/>
        <source>another seat</source>
        <translation>其他席位</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="445"/>
        <source>Already handled by %1: the event is now %2. Nothing was overwritten.</source>
        <translation>已由 %1 处理：事件当前状态为“%2”。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="453"/>
        <source>Your role may not dispatch events.</source>
        <translation>您的角色无权派单。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="455"/>
        <source>The backend cannot be reached; nothing was dispatched.</source>
        <translation>无法连接后台，未派单。</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="457"/>
        <source>The dispatch was refused: %1</source>
        <translation>派单被拒绝：%1</translation>
    </message>
</context>
<context>
    <name>EventDetailPanel</name>
    <message>
        <location filename="../../views/event_detail.py" line="161"/>
        <source>Timeline</source>
        <extracomment>How close in time an accepted audit entry must be to a timeline entry to count as the same.</extracomment>
        <translation>处置时间线</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="168"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="168"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="168"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="168"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="177"/>
        <source>Acknowledge</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="182"/>
        <source>Write a note for the timeline…</source>
        <translation>填写备注，记入处置时间线…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="185"/>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="221"/>
        <source>Select an event in the queue to see its details.</source>
        <translation>在事件队列中选择一个事件以查看详情。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="256"/>
        <source>Event detail</source>
        <translation>事件详情</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="318"/>
        <source>Event id</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="320"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="321"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="322"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="319"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="330"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="323"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="324"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="325"/>
        <source>Coordinates</source>
        <translation>坐标</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="328"/>
        <source>Reporter</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="326"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="327"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="331"/>
        <source>SLA deadlines</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="332"/>
        <source>Assignments</source>
        <translation>派单单位</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="329"/>
        <source>Bounces</source>
        <translation>退单次数</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="188"/>
        <location filename="../../views/event_detail.py" line="486"/>
        <source>Dispatch… (F2)</source>
        <translation>派单…（F2）</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="192"/>
        <location filename="../../views/event_detail.py" line="509"/>
        <source>Video conference…</source>
        <translation>视频会商…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="195"/>
        <source>A video conference about this event with the units handling it</source>
        <translation>与处置单位就此事件进行视频会商</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="198"/>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="200"/>
        <source>Chase the units that have not signed or reported</source>
        <translation>催促尚未签收或反馈的单位</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="204"/>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="209"/>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="211"/>
        <source>Close the event (the note, if any, goes with it)</source>
        <translation>结案归档（如填写了备注，一并记录）</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="213"/>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="308"/>
        <source>Please sign for and handle it at once: %1</source>
        <translation>请立即签收处置：%1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="311"/>
        <source>Urging the units…</source>
        <translation>正在催办…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="333"/>
        <source>Cameras</source>
        <translation>关联摄像头</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="334"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="398"/>
        <source>Sign for by %1</source>
        <translation>签收时限 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="401"/>
        <source>Resolve by %1</source>
        <translation>办结时限 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="415"/>
        <source>Sent back %1 time(s)</source>
        <translation>退单 %1 次</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="420"/>
        <source>lead</source>
        <translation>主办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="420"/>
        <source>assist</source>
        <translation>协办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="422"/>
        <source>sent</source>
        <translation>已派发</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="423"/>
        <source>signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="424"/>
        <source>returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="425"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="445"/>
        <source>From the audit log</source>
        <translation>来自审计日志</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="485"/>
        <source>Re-dispatch… (F2)</source>
        <translation>改派…（F2）</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="508"/>
        <source>Join the conference %1</source>
        <translation>加入会商 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="518"/>
        <source>Acknowledging…</source>
        <translation>正在受理…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="534"/>
        <source>Closing…</source>
        <translation>正在结案…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="534"/>
        <source>Reopening…</source>
        <translation>正在重新打开…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="546"/>
        <source>Escalate to %1</source>
        <translation>升级为“%1”</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="560"/>
        <source>Escalating…</source>
        <translation>正在升级…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="569"/>
        <source>Adding the note…</source>
        <translation>正在添加备注…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="579"/>
        <source>Note added.</source>
        <translation>备注已添加。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="580"/>
        <source>Acknowledged.</source>
        <translation>已受理。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="581"/>
        <source>The units were urged.</source>
        <translation>已催办。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="582"/>
        <source>Escalated.</source>
        <translation>已升级。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="583"/>
        <source>Closed.</source>
        <translation>已结案。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="584"/>
        <source>Reopened.</source>
        <translation>已重新打开。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="585"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="602"/>
        <source>This command is still being processed; please wait.</source>
        <translation>该指令仍在处理中，请稍候。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="603"/>
        <source>another seat</source>
        <translation>其他坐席</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="607"/>
        <source>Already handled by %1: the event is now %2. Nothing was overwritten.</source>
        <translation>已由 %1 处理：事件当前状态为“%2”。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="611"/>
        <source>Already handled by %1. Nothing was overwritten.</source>
        <translation>已由 %1 处理。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="616"/>
        <source>The command failed.</source>
        <translation>指令执行失败。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="618"/>
        <source>The backend cannot be reached; the command was not applied.</source>
        <translation>无法连接后台，指令未执行。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="620"/>
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="622"/>
        <source>Not allowed in the event&apos;s current status.</source>
        <translation>事件当前状态不允许此操作。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="623"/>
        <source>The command failed: %1</source>
        <translation>指令执行失败：%1</translation>
    </message>
</context>
<context>
    <name>EventQueue</name>
    <message>
        <location filename="../../views/event_queue_model.py" line="251"/>
        <source>Level</source>
        <extracomment>The event id of a row. The catalog colour of the row&apos;s level (for SeverityDelegate). The SLA column&apos;s two clocks as [(text, tone)] (for BadgeListDelegate; tones: see `views.formatting.clock_tone`). True for a row that flashes because its event alerts (`EventQueueModel.set_flashing`).</extracomment>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="252"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="253"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="254"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="255"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="256"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="257"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="258"/>
        <source>SLA</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="299"/>
        <source>Times sent back by a unit: %1</source>
        <translation>单位退回次数：%1</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="302"/>
        <source>Commands waiting to sync: %1</source>
        <translation>待同步指令：%1 条</translation>
    </message>
</context>
<context>
    <name>EventQueueView</name>
    <message>
        <location filename="../../views/event_queue.py" line="78"/>
        <source>Search title, id, street, address…</source>
        <extracomment>Badge colours of the SLA clocks (background, text); &quot;&quot; = outlined.</extracomment>
        <translation>搜索标题、编号、街道、地址…</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="86"/>
        <source>Open events</source>
        <translation>未结事件</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="87"/>
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="142"/>
        <source>Event queue</source>
        <translation>事件队列</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="247"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>FocusDialog</name>
    <message>
        <location filename="../../views/mode_focus_dialog.py" line="32"/>
        <source>Emergency mode: the event to follow</source>
        <translation>战时模式：选择跟踪的事件</translation>
    </message>
    <message>
        <location filename="../../views/mode_focus_dialog.py" line="36"/>
        <source>The walls will follow this event: the map rings it, the video wall shows its nearest cameras and the dashboard its indicators first.</source>
        <translation>大屏将跟踪此事件：地图圈出周边范围，视频墙显示最近的摄像机，体征看板优先显示相关指标。</translation>
    </message>
    <message>
        <location filename="../../views/mode_focus_dialog.py" line="59"/>
        <source>No open level 1 or level 2 event.</source>
        <translation>没有未办结的一级或二级事件。</translation>
    </message>
    <message>
        <location filename="../../views/mode_focus_dialog.py" line="64"/>
        <source>Enter emergency mode</source>
        <translation>进入战时模式</translation>
    </message>
</context>
<context>
    <name>HallMode</name>
    <message>
        <location filename="../../views/hall_modes.py" line="335"/>
        <source>Normal</source>
        <translation>平时</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="336"/>
        <source>Emergency</source>
        <translation>战时</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="337"/>
        <source>Topic</source>
        <translation>专题</translation>
    </message>
</context>
<context>
    <name>HallStatusBar</name>
    <message>
        <location filename="../../views/status_bar.py" line="50"/>
        <source>seq %1</source>
        <translation>序号 %1</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="55"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="59"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="63"/>
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
</context>
<context>
    <name>IndicatorBreachPresenter</name>
    <message>
        <location filename="../../views/indicator_breach.py" line="57"/>
        <source>Open event</source>
        <extracomment>How many glows the banner makes when a breach is announced.</extracomment>
        <translation>开立事件</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="58"/>
        <source>Open a new event prefilled from this breach</source>
        <translation>以此告警开立新事件（自动预填）</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="93"/>
        <source>%1 above the alarm level: %2</source>
        <translation>%1高于告警值：%2</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="94"/>
        <source>%1 below the alarm level: %2</source>
        <translation>%1低于告警值：%2</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="97"/>
        <source>above %1</source>
        <translation>高于 %1</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="97"/>
        <source>below %1</source>
        <translation>低于 %1</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="99"/>
        <source>Indicator: %1 (%2, %3)</source>
        <translation>指标：%1（%2，%3）</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="101"/>
        <source>Value: %1 at %2</source>
        <translation>数值：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="110"/>
        <source>Thresholds: %1</source>
        <translation>阈值：%1</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="110"/>
        <location filename="../../views/indicator_breach.py" line="141"/>
        <source>, </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="133"/>
        <source>an hour before %1</source>
        <translation>1 小时前 %1</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="137"/>
        <source>the same time yesterday %1</source>
        <translation>昨日同时 %1</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="141"/>
        <source>Trend: %1</source>
        <translation>趋势：%1</translation>
    </message>
    <message>
        <location filename="../../views/indicator_breach.py" line="152"/>
        <source>%1 in alarm: %2</source>
        <translation>%1告警：%2</translation>
    </message>
</context>
<context>
    <name>IndicatorCard</name>
    <message>
        <location filename="../../widgets/indicator_card.py" line="72"/>
        <source>Normal</source>
        <extracomment>Normal is a calm blue-grey (not green: the red/green pair is what colour-blind eyes lose); warning a light amber and alarm a dark red, far apart in lightness as well as hue; each also has its own icon shape and word.</extracomment>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/indicator_card.py" line="73"/>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../widgets/indicator_card.py" line="74"/>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../widgets/indicator_card.py" line="634"/>
        <source>vs yesterday %1</source>
        <extracomment>The wall card (device pixels; see the module&apos;s docstring).</extracomment>
        <translation>较昨日 %1</translation>
    </message>
</context>
<context>
    <name>IndicatorDashboard</name>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="96"/>
        <source>City vital signs</source>
        <extracomment>How many hours of history a card&apos;s sparkline shows. A value is shown as stale when it is older than this many sample intervals (and at least `STALE_MIN_SECONDS`): the feed should have brought a newer one by then. Wall sizes in device pixels (the cards&apos; own are in widgets/indicator_card.py). How often ages, sparklines and changes are refreshed. Live values reach the cards at most this long after they arrived: the batches of that time are shown together (painted in one pass, not one pass per 40 ms batch). Seconds the last refresh took (ages, sparklines and changes of every card).</extracomment>
        <translation>城市体征</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="102"/>
        <source>Large type</source>
        <translation>大字模式</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="103"/>
        <source>Type for the video wall, readable from 8 m</source>
        <translation>大屏字号，8 米外可读</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="167"/>
        <source>Related to the focus event</source>
        <translation>焦点事件相关指标</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="296"/>
        <source>no data</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="303"/>
        <source>%1 indicators</source>
        <translation>共 %1 项</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="305"/>
        <source>%1 in alarm</source>
        <translation>%1 项告警</translation>
    </message>
    <message>
        <location filename="../../views/indicator_dashboard.py" line="307"/>
        <source>%1 in warning</source>
        <translation>%1 项预警</translation>
    </message>
</context>
<context>
    <name>IndicatorGroup</name>
    <message>
        <location filename="../../views/labels.py" line="123"/>
        <source>City operations</source>
        <translation>城市运行</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="124"/>
        <source>Public safety</source>
        <translation>公共安全</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="125"/>
        <source>Environment</source>
        <translation>生态环境</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="126"/>
        <source>Traffic</source>
        <translation>交通出行</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="127"/>
        <source>Livelihood</source>
        <translation>民生服务</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="128"/>
        <source>Economy</source>
        <translation>经济发展</translation>
    </message>
</context>
<context>
    <name>IndicatorTrendWindow</name>
    <message>
        <location filename="../../views/indicator_trend.py" line="174"/>
        <source>24 hours</source>
        <extracomment>`fn(indicator_id, start, end, step) -&gt; (t, v)`: epoch seconds from `start` to `end` every `step` seconds, and the values (NaN or None where there is no sample). It blocks; the window calls it off the GUI thread. The ranges offered, in seconds. The step asked of the loader for 7 days (one sample a minute: 10,080 points). A loaded 7-day series is asked again when it is older than this. A pause longer than this many sample intervals is drawn as a gap in the line.</extracomment>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="174"/>
        <source>7 days</source>
        <translation>7 天</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="184"/>
        <location filename="../../views/indicator_trend.py" line="438"/>
        <source>No source for older data is set up.</source>
        <translation>未配置历史数据来源。</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="407"/>
        <source>%1 — trend</source>
        <translation>%1 — 趋势</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="427"/>
        <source>No thresholds set</source>
        <translation>未设阈值</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="432"/>
        <source>Point at the curve to read a value</source>
        <translation>将鼠标移到曲线上查看数值</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="442"/>
        <source>Loading 7 days…</source>
        <translation>正在加载 7 天数据…</translation>
    </message>
    <message>
        <location filename="../../views/indicator_trend.py" line="470"/>
        <source>The 7-day series could not be loaded; showing what this console holds.</source>
        <translation>7 天数据加载失败，显示本机已有的数据。</translation>
    </message>
</context>
<context>
    <name>LinkBand</name>
    <message>
        <location filename="../../views/link_state.py" line="81"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../views/link_state.py" line="84"/>
        <source>Connection unstable</source>
        <translation>连接不稳定</translation>
    </message>
    <message>
        <location filename="../../views/link_state.py" line="87"/>
        <source>Signing in again</source>
        <translation>正在重新登录</translation>
    </message>
    <message>
        <location filename="../../views/link_state.py" line="94"/>
        <source>data as of %1</source>
        <translation>数据截至 %1</translation>
    </message>
    <message>
        <location filename="../../views/link_state.py" line="96"/>
        <source>signed in offline</source>
        <translation>离线登录</translation>
    </message>
    <message>
        <location filename="../../views/link_state.py" line="98"/>
        <source>%1 commands waiting to sync</source>
        <translation>%1 条指令待同步</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../views/login_dialog.py" line="48"/>
        <source>Hall Console — sign in</source>
        <translation>城运大厅坐席 — 登录</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="59"/>
        <source>Liangxi City Operations Centre</source>
        <translation>梁溪区城市运行管理中心</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="61"/>
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="72"/>
        <source>Remember password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="84"/>
        <source>The password is never saved to a file; type it at every start.</source>
        <translation>密码绝不会保存到文件中，每次启动时请重新输入。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="96"/>
        <location filename="../../views/login_dialog.py" line="218"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="104"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="105"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="106"/>
        <source>Seat</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="193"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="195"/>
        <source>The backend at %1 cannot be reached.</source>
        <translation>无法连接后台 %1。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="198"/>
        <source>Offline sign-in needs an online sign-in on this seat within the last 12 hours.</source>
        <translation>离线登录需要本坐席在 12 小时内有过在线登录。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="201"/>
        <source>Offline sign-in works only on the seat of your last online sign-in.</source>
        <translation>离线登录只能在最近一次在线登录的坐席上使用。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="204"/>
        <source>Offline sign-in needs an online sign-in on this seat first.</source>
        <translation>离线登录需要先在本坐席在线登录过。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="208"/>
        <source>Too many attempts; wait a moment and try again.</source>
        <translation>尝试次数过多，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="210"/>
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="218"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MapSearchBox</name>
    <message>
        <location filename="../../views/map_search_box.py" line="27"/>
        <source>Find an event, address, street, camera or unit</source>
        <translation>搜索事件编号、地址、街道、摄像机或队伍</translation>
    </message>
    <message>
        <location filename="../../views/map_search_box.py" line="55"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../views/map_search_box.py" line="55"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/map_search_box.py" line="56"/>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../views/map_search_box.py" line="56"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../views/map_search_box.py" line="57"/>
        <source>Sensor</source>
        <translation>感知设备</translation>
    </message>
</context>
<context>
    <name>ModeController</name>
    <message>
        <location filename="../../views/hall_modes.py" line="92"/>
        <source>&amp;Mode</source>
        <translation>模式(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="109"/>
        <source>Next mode</source>
        <translation>下一模式</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="116"/>
        <source>Change the focus event…</source>
        <translation>更换焦点事件…</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="224"/>
        <source>Mode: %1</source>
        <translation>模式：%1</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="314"/>
        <source>F9: next mode · Ctrl+1 normal · Ctrl+2 emergency · Ctrl+3 topic</source>
        <translation>F9：切换下一模式 · Ctrl+1 平时 · Ctrl+2 战时 · Ctrl+3 专题</translation>
    </message>
    <message>
        <location filename="../../views/hall_modes.py" line="321"/>
        <source>Focus: %1</source>
        <translation>焦点：%1</translation>
    </message>
</context>
<context>
    <name>NewEventDialog</name>
    <message>
        <location filename="../../views/new_event_dialog.py" line="91"/>
        <source>New event from an indicator breach</source>
        <extracomment>A command id: the event was saved in the outbox, to be created when the link returns. How many of the newest events the address list draws its addresses from.</extracomment>
        <translation>由体征告警新建事件</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="92"/>
        <source>New event</source>
        <translation>新建事件</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="108"/>
        <source>What happened, where (e.g. gas smell at …)</source>
        <translation>何处发生了什么（如：某处闻到燃气味）</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="109"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="113"/>
        <source>Choose a category…</source>
        <translation>选择类别…</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="117"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="125"/>
        <source>As the category says</source>
        <translation>按类别默认</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="128"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="130"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="138"/>
        <source>What the reporter said, what is known</source>
        <translation>反映人所述及已知情况</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="140"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="148"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="149"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="155"/>
        <source>Reporter</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="159"/>
        <source>Source: %1</source>
        <translation>来源：%1</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="168"/>
        <source>Create event</source>
        <translation>新建事件</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="170"/>
        <source>Create the event (Ctrl+Enter)</source>
        <translation>新建事件（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="171"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="184"/>
        <source>Ctrl+Enter to create · Esc to cancel</source>
        <translation>Ctrl+Enter 新建 · Esc 取消</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="248"/>
        <source>Enter a title.</source>
        <translation>请填写标题。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="251"/>
        <source>Choose a category.</source>
        <translation>请选择类别。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="256"/>
        <source>Pick an address from the list, or enter coordinates.</source>
        <translation>请从列表中选择地址，或输入坐标。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="261"/>
        <source>The description is too long (at most %1 characters).</source>
        <translation>描述过长（最多 %1 字）。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="265"/>
        <source>Enter a phone number (digits, spaces, -).</source>
        <translation>请输入电话号码（数字、空格、-）。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="285"/>
        <source>Some fields are not valid.</source>
        <translation>部分内容无效。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="309"/>
        <source>Creating the event…</source>
        <translation>正在新建事件…</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="409"/>
        <source>From the address list</source>
        <translation>从地址列表选择</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="411"/>
        <source>By coordinates</source>
        <translation>输入坐标</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="430"/>
        <source>Type to search streets and known addresses</source>
        <translation>输入以搜索街道和已知地址</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="453"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="455"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="460"/>
        <source>Address or landmark (optional)</source>
        <translation>地址或地标（可选）</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="547"/>
        <source>Not in the list yet: keep typing or pick one.</source>
        <translation>列表中暂无：请继续输入或选择一项。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="557"/>
        <source>Street: %1 (the nearest)</source>
        <translation>街道：%1（最近）</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="588"/>
        <source>Created %1.</source>
        <translation>已新建 %1。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="601"/>
        <source>The event was not created.</source>
        <translation>事件未新建。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="603"/>
        <source>No answer from the backend. Nothing you typed is lost: press Ctrl+Enter to try again (the event will not be entered twice).</source>
        <translation>后台无应答。已填写的内容不会丢失：按 Ctrl+Enter 重试（事件不会重复录入）。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="606"/>
        <source>Your role may not create events.</source>
        <translation>您的角色无权新建事件。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="608"/>
        <source>The backend is still creating this event; try again in a moment.</source>
        <translation>后台仍在新建此事件，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="610"/>
        <source>The backend refused the event: %1</source>
        <translation>后台拒绝了该事件：%1</translation>
    </message>
    <message>
        <location filename="../../views/new_event_dialog.py" line="612"/>
        <source>The event was not created: %1</source>
        <translation>事件未新建：%1</translation>
    </message>
</context>
<context>
    <name>OperationMap</name>
    <message>
        <location filename="../../views/operation_map.py" line="210"/>
        <source>Measure</source>
        <translation>测距</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="211"/>
        <source>Measure a distance: click points on the map; click the button again to stop</source>
        <translation>测量距离：在地图上依次点击；再次点击本按钮结束</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="224"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="229"/>
        <source>Open events</source>
        <translation>未办结事件</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="230"/>
        <source>Response teams</source>
        <translation>处置力量</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="231"/>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="232"/>
        <source>Sensors</source>
        <translation>物联感知设备</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="233"/>
        <source>Grid units</source>
        <translation>网格单元</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="234"/>
        <source>Roads</source>
        <translation>主要道路</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="235"/>
        <source>Waterways</source>
        <translation>河道</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="236"/>
        <source>Streets</source>
        <translation>街道边界</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="240"/>
        <source>Level 1</source>
        <translation>一级（特别重大）</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="240"/>
        <source>Level 2</source>
        <translation>二级（重大）</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="240"/>
        <source>Level 3</source>
        <translation>三级（较大）</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="241"/>
        <source>Level 4</source>
        <translation>四级（一般）</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="243"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="243"/>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="244"/>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="389"/>
        <source>Loading the base map…</source>
        <translation>正在加载底图…</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="399"/>
        <source>Base map from the offline cache</source>
        <translation>底图来自离线缓存</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="425"/>
        <source>The base map could not be loaded.</source>
        <translation>底图加载失败。</translation>
    </message>
    <message>
        <location filename="../../views/operation_map.py" line="433"/>
        <source>Camera: %1</source>
        <translation>摄像机：%1</translation>
    </message>
</context>
<context>
    <name>QueueFilterBar</name>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="142"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="143"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="144"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="145"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="148"/>
        <location filename="../../views/queue_filter_bar.py" line="268"/>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="153"/>
        <source>Saved filters</source>
        <translation>常用筛选</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="267"/>
        <source>Open, level 1–2</source>
        <translation>未结一二级</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="269"/>
        <location filename="../../views/queue_filter_bar.py" line="294"/>
        <source>My street</source>
        <translation>我的街道</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="281"/>
        <source>My street (choose your street below)</source>
        <translation>我的街道（请在下方选择街道）</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="284"/>
        <source>Save the current filter…</source>
        <translation>保存当前筛选…</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="289"/>
        <source>Delete a saved filter</source>
        <translation>删除已保存的筛选</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="301"/>
        <source>Clear the filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="310"/>
        <source>Save filter</source>
        <translation>保存筛选</translation>
    </message>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="310"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
<context>
    <name>RingPanel</name>
    <message>
        <location filename="../../views/map_ring_panel.py" line="70"/>
        <source>Radius</source>
        <translation>半径</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="95"/>
        <source>Show these cameras</source>
        <translation>上墙查看这些摄像机</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="97"/>
        <source>Send the online cameras in the ring to the video wall, nearest first</source>
        <translation>把圈内在线摄像机按由近到远送上视频墙</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="110"/>
        <source>Around %1</source>
        <translation>%1 周边</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="111"/>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="112"/>
        <source>Response teams</source>
        <translation>处置力量</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="113"/>
        <source>Sensors</source>
        <translation>物联感知设备</translation>
    </message>
    <message>
        <location filename="../../views/map_ring_panel.py" line="122"/>
        <source>%1 (offline)</source>
        <translation>%1（离线）</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../views/labels.py" line="47"/>
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="48"/>
        <source>Shift leader</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="49"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="50"/>
        <source>Responding unit</source>
        <translation>处置单位</translation>
    </message>
</context>
<context>
    <name>Sla</name>
    <message>
        <location filename="../../views/formatting.py" line="66"/>
        <source>Sign %1</source>
        <translation>签收 %1</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="67"/>
        <source>Resolve %1</source>
        <translation>办结 %1</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="24"/>
        <location filename="../../views/formatting.py" line="37"/>
        <source>%1 d %2 h</source>
        <translation>%1天%2时</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="32"/>
        <source>%1 min</source>
        <translation>%1分</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="35"/>
        <source>%1 h %2 min</source>
        <translation>%1时%2分</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="44"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="70"/>
        <source>Sign overdue %1</source>
        <translation>签收超时 %1</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="71"/>
        <source>Resolve overdue %1</source>
        <translation>办结超时 %1</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="74"/>
        <source>Signed ✓</source>
        <translation>已签收 ✓</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="75"/>
        <source>Resolved ✓</source>
        <translation>已办结 ✓</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="77"/>
        <source>Signed late</source>
        <translation>超时签收</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="78"/>
        <source>Resolved late</source>
        <translation>超时办结</translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <location filename="../../views/labels.py" line="33"/>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="34"/>
        <source>Grid governance</source>
        <translation>网格化治理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="35"/>
        <source>Digital city management</source>
        <translation>数字城管</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="36"/>
        <source>Police Home plan</source>
        <translation>公安家园计划</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="37"/>
        <source>IoT sensing</source>
        <translation>物联感知</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="38"/>
        <source>Indicator breach</source>
        <translation>数字体征</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="39"/>
        <source>Manual entry</source>
        <translation>人工录入</translation>
    </message>
</context>
<context>
    <name>StatisticsPanel</name>
    <message>
        <location filename="../../views/statistics_panel.py" line="65"/>
        <source>Event statistics</source>
        <extracomment>How often the panel asks the core whether the figures are due for a recompute (the core throttles: at most every couple of seconds after a change). From this width on (pixels) the panel lays its tiles and lists out side by side. The core object that follows the store and computes the figures.</extracomment>
        <translation>事件统计</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="76"/>
        <source>Reported today</source>
        <translation>今日受理</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="77"/>
        <source>Closure rate</source>
        <translation>办结率</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="78"/>
        <source>Signed for on time</source>
        <translation>按时签收率</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="79"/>
        <source>Resolved on time</source>
        <translation>按期办结率</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="80"/>
        <source>Open now</source>
        <translation>当前未结案</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="81"/>
        <source>Overdue now</source>
        <translation>当前超时</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="82"/>
        <source>Sent back, to re-dispatch</source>
        <translation>退单待重派</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="83"/>
        <source>Sent back today</source>
        <translation>今日退单</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="88"/>
        <source>Show these events in the queue</source>
        <translation>在事件队列中显示这些事件</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="98"/>
        <source>Reported today by source</source>
        <translation>今日受理（按来源）</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="99"/>
        <source>Top categories today</source>
        <translation>今日高发类别</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="100"/>
        <source>Top streets today</source>
        <translation>今日高发街道</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="103"/>
        <source>No events reported today</source>
        <translation>今日暂无受理事件</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="104"/>
        <source>Click a line to show its events in the queue</source>
        <translation>点击一行，在事件队列中显示其事件</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="160"/>
        <source>%1 · as of %2</source>
        <translation>%1 · 截至 %2</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="167"/>
        <source>%1 events held</source>
        <translation>共 %1 件</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="171"/>
        <source>in every status but closed</source>
        <translation>除已结案外的全部事件</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="174"/>
        <source>sign-for %1 · resolve %2</source>
        <translation>签收 %1 · 办结 %2</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="178"/>
        <source>waiting in the hall</source>
        <translation>待大厅处理</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="180"/>
        <source>returns by units</source>
        <translation>单位退回次数</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="185"/>
        <source>No street</source>
        <translation>无街道</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="228"/>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="233"/>
        <source>nothing reported today</source>
        <translation>今日无受理</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="234"/>
        <location filename="../../views/statistics_panel.py" line="235"/>
        <source>none due or met today</source>
        <translation>今日暂无到期或完成</translation>
    </message>
    <message>
        <location filename="../../views/statistics_panel.py" line="237"/>
        <source>%1 of %2</source>
        <translation>%2 件中 %1 件</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../views/labels.py" line="17"/>
        <source>New</source>
        <translation>新事件</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="18"/>
        <source>Acknowledged</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="19"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="20"/>
        <source>Signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="21"/>
        <source>On site</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="22"/>
        <source>Resolved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="23"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="24"/>
        <source>Returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="25"/>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
</context>
<context>
    <name>UnitStatus</name>
    <message>
        <location filename="../../views/labels.py" line="136"/>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="137"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="138"/>
        <source>Off duty</source>
        <translation>下班</translation>
    </message>
</context>
<context>
    <name>Vault</name>
    <message>
        <location filename="../../views/labels.py" line="170"/>
        <source>No keyring service is available on this system.</source>
        <extracomment>Colours of the connection states on the dark theme.</extracomment>
        <translation>本系统没有可用的密钥环服务。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="172"/>
        <source>The keyring is disabled.</source>
        <translation>密钥环已被禁用。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="173"/>
        <source>The keyring stores secrets unencrypted in a file.</source>
        <translation>该密钥环将机密以明文形式保存在文件中。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="175"/>
        <source>The keyring backend is not recommended for secrets.</source>
        <translation>该密钥环后端不适合保存机密。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="177"/>
        <source>The keyring could not be opened.</source>
        <translation>无法打开密钥环。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="179"/>
        <source>The system keyring cannot be used safely here.</source>
        <translation>此处无法安全使用系统密钥环。</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/video_tile.py" line="256"/>
        <source>connecting</source>
        <extracomment>The colour of each state&apos;s word and dot.</extracomment>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="257"/>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="258"/>
        <source>stalled</source>
        <translation>卡顿</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="259"/>
        <source>lost</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="260"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="278"/>
        <source>no picture yet</source>
        <translation>暂无画面</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="280"/>
        <source>now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="282"/>
        <source>{0} s ago</source>
        <translation>{0} 秒前</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="284"/>
        <source>{0} min ago</source>
        <translation>{0} 分钟前</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="285"/>
        <source>{0} h ago</source>
        <translation>{0} 小时前</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="309"/>
        <source>{0} fps</source>
        <translation>{0} 帧/秒</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="460"/>
        <source>drop a camera here</source>
        <translation>将摄像机拖到此处</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../views/video_wall.py" line="355"/>
        <source>Layout</source>
        <extracomment>How long after the last change the state is written. How often the tours are checked. How long the tiles settle after a layout or size change before profiles are re-checked. Tiles may be small on a 36-tile wall in a desk. The layout and tour controls above the tiles (a host may hide them).</extracomment>
        <translation>画面分割</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="364"/>
        <source>Tours</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="375"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="576"/>
        <source>Full view</source>
        <translation>全屏查看</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="576"/>
        <source>Back to the wall</source>
        <translation>返回视频墙</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="578"/>
        <source>Remove the camera</source>
        <translation>移除摄像机</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="581"/>
        <source>Tour on this tile</source>
        <translation>在此窗格轮巡</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="592"/>
        <source>{0} ({1} cameras, {2} s)</source>
        <translation>{0}（{1} 路，{2} 秒）</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="594"/>
        <source>Play on the wall</source>
        <translation>整墙播放</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="596"/>
        <source>Play on the selected tile</source>
        <translation>在选中窗格播放</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="599"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="603"/>
        <source>New tour from the wall&apos;s cameras…</source>
        <translation>用视频墙上的摄像机新建轮巡…</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="606"/>
        <source>Stop the tours</source>
        <translation>停止轮巡</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="612"/>
        <location filename="../../views/video_wall.py" line="615"/>
        <source>New tour</source>
        <translation>新建轮巡</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="612"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="616"/>
        <source>Seconds per camera</source>
        <translation>每路停留秒数</translation>
    </message>
</context>
<context>
    <name>VideoWallTab</name>
    <message>
        <location filename="../../views/video_wall_tab.py" line="26"/>
        <source>Follow the selected event</source>
        <translation>跟随选中事件</translation>
    </message>
    <message>
        <location filename="../../views/video_wall_tab.py" line="28"/>
        <source>Show the cameras nearest to the event selected in the queue</source>
        <translation>显示离队列中选中事件最近的摄像机</translation>
    </message>
</context>
<context>
    <name>_ChoiceButton</name>
    <message>
        <location filename="../../views/queue_filter_bar.py" line="57"/>
        <source>Any</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../views/hall_setup.py" line="102"/>
        <source>Unlock the wall windows</source>
        <translation>解锁墙面窗口</translation>
    </message>
</context>
</TS>
