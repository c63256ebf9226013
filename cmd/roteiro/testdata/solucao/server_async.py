# Uma solução da Etapa 3 da trilha Python: o esqueleto do roteiro (seção
# 3.2) preenchido. É só do professor (fica fora da edição dos alunos):
# scripts/corrigir-edicao.sh a põe no lugar do esqueleto para conferir que a
# correção dá 100, e os testes de cmd/roteiro a usam como o servidor asyncio
# de um aluno. Argumentos opcionais (só para os testes): porta e delay.
import asyncio
import sys

HOST = '127.0.0.1'
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 65432
DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 5


async def handle_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    """
    Corrotina chamada pelo Event Loop para cada nova conexão.
    Substitui a função que antes rodava em uma Thread separada.
    """
    addr = writer.get_extra_info('peername')
    print(f"[NOVA CONEXÃO] {addr}")
    try:
        # 1. Leia os dados enviados pelo cliente
        data = await reader.read(1024)
        msg = data.decode('utf-8', errors='replace')
        print(f"[{addr}] Processando: {msg}")

        # 2. Processamento pesado SEM bloquear a thread: só esta corrotina
        #    espera; o Event Loop segue atendendo as outras conexões.
        await asyncio.sleep(DELAY)

        # 3. Envie a resposta ao cliente
        writer.write(f"Processado: {msg}".encode('utf-8'))
        await writer.drain()
    except ConnectionError as e:
        print(f"[ERRO] {addr}: {e}")
    finally:
        # 4. Feche a conexão
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
    print(f"[DESCONECTADO] {addr}")


async def main():
    """
    Ponto de entrada assíncrono: cria e inicia o servidor.
    """
    server = await asyncio.start_server(handle_client, HOST, PORT)

    print(f"[ASSÍNCRONO] Servidor rodando em {HOST}:{PORT} — Event Loop ativo.")

    # Mantenha o servidor rodando indefinidamente
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
