from tama_desk import single_instance


def test_second_holder_is_refused_until_the_first_lets_go(tmp_path):
    path = tmp_path / "app.lock"
    first = single_instance.acquire(path)
    assert first is not None
    assert single_instance.acquire(path) is None
    first.close()  # what the OS does when the first process ends (even after a crash)
    again = single_instance.acquire(path)
    assert again is not None
    again.close()


def test_default_lock_lives_in_the_data_folder(_isolated_home):
    lock = single_instance.acquire()
    try:
        assert (_isolated_home / "tama_desk.lock").read_text().isdigit()
    finally:
        lock.close()
