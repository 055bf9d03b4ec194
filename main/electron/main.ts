// The Electron entry point (a typed stub until the Electron shell lands).
import { app } from 'electron';

void app.whenReady();
