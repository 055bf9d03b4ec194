// A stand-in for the 'electron' module, loaded with `node --require` before the bundled
// out/electron/main.cjs, so the real main-process bundle can run under plain Node (no
// Electron binary here). It records what the app asks of Electron and reports it as JSON
// lines on stdout; the test drives it by sending commands on stdin.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file for `node --require` */
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const readline = require('node:readline');

const report = (type, data = {}) => process.stdout.write(JSON.stringify({ type, ...data }) + '\n');
const handlers = new Map();
const app = new EventEmitter();
let quitting = false;
Object.assign(app, {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getVersion: () => '0.0.0-test',
  getPath: () => process.env.WIRELENS_DATA_DIR,
  quit() {
    if (quitting) return;
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    app.emit('before-quit', event);
    if (event.defaultPrevented) return;
    quitting = true;
    report('quit');
    process.exit(0);
  },
  exit(code) {
    report('exit', { code });
    process.exit(code);
  },
});

let mainWindow = null;
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.sent = [];
  }
  setWindowOpenHandler(fn) {
    this.openHandler = fn;
  }
  send(channel, payload) {
    report('webcontents-send', { channel, payloadType: payload && payload.type });
  }
  isDestroyed() {
    return false;
  }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the one window, like Electron's registry
    mainWindow = this;
    report('window', { webPreferences: options.webPreferences });
  }
  static fromWebContents(contents) {
    return mainWindow && mainWindow.webContents === contents ? mainWindow : null;
  }
  async loadFile(file) {
    this.loadedUrl = require('node:url').pathToFileURL(file).href;
    report('load', { file });
    this.emit('ready-to-show');
  }
  show() {}
  isMinimized() {
    return false;
  }
}

const electron = {
  app,
  BrowserWindow,
  ipcMain: {
    handle(channel, fn) {
      handlers.set(channel, fn);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  },
  Menu: {
    buildFromTemplate: (template) => template,
    setApplicationMenu: (template) =>
      report('menu', { labels: template.map((m) => m.label || m.role) }),
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: () => report('csp-hook') },
      setPermissionRequestHandler: () => report('permission-request-hook'),
      setPermissionCheckHandler: () => undefined,
    },
  },
  shell: { openExternal: async () => undefined, showItemInFolder: () => undefined },
  dialog: { showErrorBox: (title, message) => report('error-box', { title, message }) },
  clipboard: {},
};

const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (request === 'electron') return electron;
  return originalLoad.call(this, request, ...rest);
};

// Commands from the test: {"invoke": "channel", "args": [...], "foreign": bool} or {"quit": true}
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = JSON.parse(line);
  if (command.quit) return app.quit();
  if (command.channels) return report('channels', { channels: [...handlers.keys()] });
  const handler = handlers.get(command.invoke);
  if (!handler) return report('invoke-result', { channel: command.invoke, missing: true });
  const sender = command.foreign ? new WebContents() : mainWindow.webContents;
  const event = { sender, senderFrame: { url: mainWindow.loadedUrl, parent: null } };
  const outcome = await handler(event, ...(command.args || []));
  report('invoke-result', { channel: command.invoke, outcome });
});
