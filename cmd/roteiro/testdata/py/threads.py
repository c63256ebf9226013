# Como o server.py do laboratório: uma thread por conexão, na porta dada, SEM
# SO_REUSEADDR. Uso: python3 threads.py PORTA DELAY
import socket
import sys
import threading
import time

PORT, DELAY = int(sys.argv[1]), float(sys.argv[2])


def atender(conn):
    msg = conn.recv(1024)
    if msg:
        time.sleep(DELAY)
        conn.send(b"Processado: " + msg)
    conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', PORT))
server.listen()
print(f"[OUVINDO] Servidor rodando em 127.0.0.1:{PORT}", flush=True)
while True:
    conn, addr = server.accept()
    threading.Thread(target=atender, args=(conn,)).start()
